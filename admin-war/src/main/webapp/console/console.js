// The admin console: reads the admin REST API every 5 s and renders it; its buttons call the same API.
// Plain ES5 and the DOM, no library. Values from the server are set as text, never as markup.
(function () {
  'use strict';
  var PERIOD_MS = 5000;
  var HISTORY = 180; // 15 minutes of 5 s samples
  var samples = [];
  var lastStatements = null;
  var drain = null; // {server, endpoint, initial}
  var groupDrafts = {}; // CN group typed but not set yet, by server: the table is redrawn every 5 s
  var backupFolderPrefilled = false; // the folder field takes the last job's folder once, if nothing was typed
  var backupRunning = false; // as the last look at the backup job saw it
  var backupPoll = null; // the timer that looks at a running backup every second
  var verified = {}; // a verification's outcome, by folder + '\n' + backup id: the list is redrawn every 5 s
  var STANDBY_PERIOD_MS = 2000; // a standby's lag, refreshed faster than the rest of the page
  var following = false; // this cluster is a standby following its primary, as the last look saw it
  var operator = false; // the account may change state (GET /api/account); until known, its buttons stay disabled

  function call(method, path, body) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, path);
      xhr.setRequestHeader('Accept', 'application/json');
      if (body !== undefined) { xhr.setRequestHeader('Content-Type', 'text/plain'); }
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(xhr.responseText ? JSON.parse(xhr.responseText) : null);
        } else if (path.indexOf('/health/') === 0 && xhr.status === 503) {
          resolve(JSON.parse(xhr.responseText)); // DOWN is an answer too
        } else {
          var reason = reasonOf(xhr.responseText);
          var error = new Error(method + ' ' + path + ': ' + xhr.status + ' ' + (xhr.statusText || '')
              + (reason ? ': ' + reason : ''));
          error.status = xhr.status;
          error.reason = reason;
          reject(error);
        }
      };
      xhr.onerror = function () { reject(new Error(method + ' ' + path + ': no answer')); };
      xhr.send(body === undefined ? null : body);
    });
  }

  // the admin API's refusal reason ({"error": "…"}, ErrorMessages), or null for another body (Liberty's 403 page)
  function reasonOf(text) {
    try {
      var body = JSON.parse(text);
      return body && typeof body.error === 'string' ? body.error : null;
    } catch (e) {
      return null;
    }
  }

  function $(id) { return document.getElementById(id); }

  function cell(tr, value, cls) {
    var td = document.createElement('td');
    td.textContent = value === null || value === undefined ? '' : String(value);
    if (cls) { td.className = cls; }
    tr.appendChild(td);
    return td;
  }

  function button(td, label, onClick) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.addEventListener('click', onClick);
    td.appendChild(b);
    return b;
  }

  function rows(tbodyId, items, render) {
    var body = $(tbodyId);
    while (body.firstChild) { body.removeChild(body.firstChild); }
    items.forEach(function (item) {
      var tr = document.createElement('tr');
      render(tr, item);
      body.appendChild(tr);
    });
  }

  function say(text) { $('message').textContent = text || ''; }

  function act(method, path, done, body) {
    say('');
    return call(method, path, body).then(function (answer) {
      if (done) { done(answer); }
      return refresh();
    }, function (e) { say(e.message); return false; }); // false: the call failed, its message is shown
  }

  // ------------------------------------------------------------------ sections

  function members() {
    return call('GET', '/api/cluster/members').then(function (list) {
      rows('members', list, function (tr, m) {
        cell(tr, m.name + (m.local ? ' (this server)' : ''));
        cell(tr, m.address);
        cell(tr, (m.roles || []).join(', '));
        cell(tr, (m.readyRoles || []).join(', '));
        cell(tr, m.state, m.state === 'UP' || m.state === 'READY' ? 'up' : '');
        cell(tr, m.cnGroup);
        cell(tr, m.draining ? 'yes' : '');
        var actions = cell(tr, '');
        if ((m.roles || []).indexOf('cn') >= 0) {
          var group = document.createElement('input');
          group.size = 10;
          group.value = groupDrafts.hasOwnProperty(m.name) ? groupDrafts[m.name] : (m.cnGroup || '');
          group.setAttribute('aria-label', 'CN group of ' + m.name);
          group.addEventListener('input', function () { groupDrafts[m.name] = group.value; });
          actions.appendChild(group);
          button(actions, 'Set group', function () {
            var value = groupDrafts.hasOwnProperty(m.name) ? groupDrafts[m.name] : group.value;
            delete groupDrafts[m.name];
            // empty: back to the server's configured group
            act('PUT', '/api/cluster/cn/' + encodeURIComponent(m.name) + '/group', null, value);
          });
          button(actions, m.draining ? 'Undrain' : 'Drain', function () {
            var verb = m.draining ? 'undrain' : 'drain';
            drain = verb === 'drain' ? {server: m.name, endpoint: m.endpoints && m.endpoints.cnMysql, initial: null}
                : null;
            act('POST', '/api/cluster/cn/' + encodeURIComponent(m.name) + '/' + verb);
          });
        }
      });
    });
  }

  function proxySessions() {
    return call('GET', '/api/cluster/proxy/sessions').then(function (byCn) {
      if (!drain) { $('drain-progress').setAttribute('hidden', ''); return; }
      var left = byCn[drain.endpoint] || 0;
      if (drain.initial === null) { drain.initial = left; }
      var done = drain.initial === 0 ? 100 : Math.round(100 * (drain.initial - left) / drain.initial);
      $('drain-progress').removeAttribute('hidden');
      $('drain-bar').setAttribute('value', String(done));
      $('drain-label').textContent = 'Draining ' + drain.server + ': ' + left + ' of ' + drain.initial
          + ' sessions left';
      if (left === 0) { $('drain-label').textContent = drain.server + ' drained'; }
    });
  }

  function checks() {
    return call('GET', '/health/ready').then(function (ready) {
      return call('GET', '/health/live').then(function (live) {
        var all = [];
        (live.checks || []).forEach(function (c) { all.push({kind: 'live', c: c}); });
        (ready.checks || []).forEach(function (c) { all.push({kind: 'ready', c: c}); });
        rows('checks', all, function (tr, x) {
          cell(tr, x.c.name);
          cell(tr, x.kind);
          cell(tr, x.c.status, x.c.status === 'UP' ? 'up' : 'down');
          cell(tr, x.c.data ? JSON.stringify(x.c.data) : '');
        });
      });
    });
  }

  // how long a statement has run: ms below a second, else seconds with one decimal; '' when none runs
  function duration(ms) {
    if (ms === null || ms === undefined) { return ''; }
    return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
  }

  function connections() {
    return call('GET', '/api/cluster/proxy/connections').then(function (list) {
      rows('connections', list, function (tr, s) {
        cell(tr, s.id, 'num');
        cell(tr, s.user);
        cell(tr, s.group);
        cell(tr, s.computeNode);
        cell(tr, s.inTransaction ? 'yes' : '');
        cell(tr, s.statement, 'statement');
        cell(tr, duration(s.statementMillis), 'num');
        button(cell(tr, ''), 'Kill', function () {
          if (window.confirm('End session ' + s.id + ' of ' + s.user + '?')) {
            act('POST', '/api/cluster/proxy/connections/' + encodeURIComponent(s.id) + '/kill');
          }
        });
      });
    }, function () { rows('connections', [], function () {}); }); // no proxy role on this server
  }

  function transactionNodes() {
    return call('GET', '/api/cluster/tn').then(function (list) {
      rows('tn', list, function (tr, t) {
        var known = t.leaseAgeMillis !== undefined && t.leaseAgeMillis >= 0;
        cell(tr, t.server);
        cell(tr, t.state, t.state === 'ACTIVE' ? 'up' : t.state === 'UNKNOWN' || t.state === 'CLOSED' ? 'down' : '');
        cell(tr, t.epoch, 'num');
        cell(tr, t.leaseHolder);
        cell(tr, known ? duration(t.leaseAgeMillis) : '', 'num');
        // as that server sees it: past the lease's duration without a renewal, a standby takes over
        var left = t.leaseMillis - t.leaseAgeMillis;
        cell(tr, !known ? '' : left > 0 ? duration(left) : 'lapsed', 'num');
      });
    });
  }

  function log() {
    return call('GET', '/api/cluster/log').then(function (g) {
      $('log-leader').textContent = g.leaderId || 'none';
      $('log-term').textContent = g.term;
      $('log-commit').textContent = g.commitIndex;
      rows('log-peers', g.peers, function (tr, p) {
        cell(tr, p.id + (p.id === g.leaderId ? ' (leader)' : ''));
        cell(tr, p.address);
        cell(tr, p.commitIndex, 'num');
        cell(tr, p.lag, 'num');
        var actions = cell(tr, '');
        if (p.id !== g.leaderId) {
          button(actions, 'Make leader', function () {
            act('POST', '/api/cluster/log/leader/transfer?to=' + encodeURIComponent(p.id));
          });
          button(actions, 'Remove', function () {
            if (window.confirm('Remove log peer ' + p.id + ' from the group?')) {
              act('DELETE', '/api/cluster/log/peers/' + encodeURIComponent(p.id));
            }
          });
        }
      });
    }, function () { $('log-leader').textContent = 'not reachable from this server'; });
  }

  function storage() {
    return call('GET', '/api/storage/health').then(function (h) {
      $('storage-summary').textContent = (h.up ? 'UP' : 'DOWN') + ': ' + h.answering + ' endpoint(s) answering, '
          + h.required + ' needed';
      $('storage-summary').className = h.up ? 'up' : 'down';
      rows('storage-endpoints', h.endpoints, function (tr, e) {
        cell(tr, e.endpoint);
        cell(tr, e.up ? 'up' : 'DOWN', e.up ? 'up' : 'down');
        cell(tr, e.error);
      });
    });
  }

  // ------------------------------------------------------------------ backups

  // the folder typed (the field is never redrawn, so it keeps what was typed across the refreshes)
  function backupFolder() { return $('backup-target').value.trim(); }

  function megabytes(bytes) { return (bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1); }

  // an S3 target's credentials file (a path on this server: the keys stay in it)
  function backupCredentials() { return $('backup-credentials').value.trim(); }

  function backupTarget(path, folder) {
    var credentials = backupCredentials();
    return '/api/backups' + path + (path.indexOf('?') >= 0 ? '&' : '?') + 'target=' + encodeURIComponent(folder)
        + (credentials === '' ? '' : '&credentials=' + encodeURIComponent(credentials));
  }

  // the running or last backup of this server: a progress bar of its bytes, its objects, and its outcome
  function backupJob() {
    return call('GET', '/api/backups/job').then(function (job) {
      var wasRunning = backupRunning;
      backupRunning = job.state === 'running';
      showBackupJob(job);
      if (backupRunning && backupPoll === null) {
        // faster than the page's refresh while it runs, so that the bar moves
        backupPoll = setTimeout(function () {
          backupPoll = null;
          backupJob().then(null, function (e) { say(e.message); });
        }, 1000);
      }
      if (wasRunning && !backupRunning) { return backupList(); } // it ended: the list has a new backup
    });
  }

  function showBackupJob(job) {
    if (!job || job.state === 'none') { $('backup-job').setAttribute('hidden', ''); return; }
    if (!backupFolderPrefilled && backupFolder() === '' && job.target) { $('backup-target').value = job.target; }
    backupFolderPrefilled = true;
    var p = job.progress || {objectsDone: 0, objectsTotal: 0, objectsSkipped: 0, bytesDone: 0, bytesTotal: 0};
    var figures = megabytes(p.bytesDone) + ' of ' + megabytes(p.bytesTotal) + ' MB, ' + p.objectsDone + ' of '
        + p.objectsTotal + ' objects (' + p.objectsSkipped + ' stored already)';
    var percent = p.bytesTotal > 0 ? Math.floor(100 * p.bytesDone / p.bytesTotal) : 0;
    var label = $('backup-job-label');
    label.className = job.state === 'failed' ? 'down' : '';
    if (job.state === 'running') {
      label.textContent = 'Backing up into ' + job.target + ': ' + figures;
    } else if (job.state === 'done') {
      percent = 100;
      label.textContent = 'Backup ' + job.id + ' into ' + job.target + ' done: ' + figures;
    } else {
      label.textContent = 'Backup into ' + job.target + ' failed: ' + (job.error || job.state);
    }
    $('backup-bar').setAttribute('value', String(percent));
    $('backup-job').removeAttribute('hidden');
  }

  // the complete backups in the folder typed, oldest first, each with a Verify button
  function backupList() {
    var folder = backupFolder();
    if (folder === '') {
      rows('backup-sets', [], function () {});
      $('backup-list-note').textContent = 'Type a folder on this server, or an S3 address and its credentials file, to list its backups.';
      return Promise.resolve();
    }
    return call('GET', backupTarget('', folder)).then(function (sets) {
      if (folder !== backupFolder()) { return; } // typed on meanwhile: the next refresh lists that one
      $('backup-list-note').textContent = sets.length + ' complete backup(s) in ' + folder;
      rows('backup-sets', sets, function (tr, b) {
        var key = folder + '\n' + b.id;
        cell(tr, b.id);
        cell(tr, b.commitTime).title = 'commit timestamp ' + b.commitTs;
        cell(tr, b.objects, 'num');
        cell(tr, megabytes(b.bytes), 'num');
        cell(tr, b.commits, 'num');
        var actions = cell(tr, '');
        var outcome = cell(tr, verified[key] ? verified[key].text : '', verified[key] ? verified[key].cls : '');
        button(actions, 'Verify', function () {
          verified[key] = {text: 'verifying…', cls: ''};
          outcome.textContent = 'verifying…';
          act('POST', backupTarget('/verify?id=' + encodeURIComponent(b.id), folder), function (r) {
            verified[key] = r.problems.length === 0
                ? {text: 'OK (' + r.files + ' files, ' + megabytes(r.bytes) + ' MB read)', cls: 'up'}
                : {text: r.problems.length + ' problem(s): ' + r.problems.join('; '), cls: 'down'};
          }).then(function (ok) {
            if (ok === false) { delete verified[key]; outcome.textContent = ''; }
          });
        });
      });
    }, function (e) {
      if (e.status !== 400) { throw e; }
      if (folder !== backupFolder()) { return; }
      rows('backup-sets', [], function () {});
      $('backup-list-note').textContent = 'No backups in ' + folder + ' (or it is not an absolute folder path).';
    });
  }

  function backups() {
    return backupJob().then(function () { return backupList(); });
  }

  // ------------------------------------------------------------------ standby / switchover

  function show(id, visible) {
    if (visible) { $(id).removeAttribute('hidden'); } else { $(id).setAttribute('hidden', ''); }
  }

  // a standby: its state and lag, Promote; a primary (404 "no standby"): whether it takes writes, Drain/Undrain
  function standby() {
    return call('GET', '/api/standby').then(function (s) {
      following = s.state === 'FOLLOWING';
      $('standby-summary').textContent = s.state === 'PROMOTED' ? 'This cluster was a standby and is promoted: a primary now.'
          : s.state === 'FOLLOWING' ? 'This cluster is a standby: it replays its primary\'s commits and refuses writes.'
          : 'This cluster is a standby; this server\'s transaction node is not the active one, another server follows.';
      $('standby-summary').className = '';
      $('standby-state').textContent = s.state;
      $('standby-state').className = s.state === 'FOLLOWING' || s.state === 'PROMOTED' ? 'up' : '';
      $('standby-archive').textContent = s.primaryArchive;
      $('standby-applied').textContent = s.appliedTime ? s.appliedTime + ' (commit timestamp ' + s.appliedTs + ')'
          : 'no commit replayed yet';
      $('standby-lag').textContent = s.state === 'PROMOTED' ? '' : s.lagSeconds.toFixed(1) + ' s';
      $('standby-problem').textContent = s.problem || '';
      $('standby-problem').className = s.problem ? 'down' : '';
      $('standby-promotion').textContent = s.promotion ? promotionText(s.promotion) : '';
      show('standby-status', true);
      show('standby-promote-form', s.state === 'FOLLOWING');
      show('standby-primary-form', false);
    }, function (e) {
      following = false;
      show('standby-status', false);
      show('standby-promote-form', false);
      if (e.status !== 404) { throw e; }
      if (/no transaction node/.test(e.reason || '')) {
        $('standby-summary').textContent = 'This server runs no transaction node: open the console of a server that does.';
        show('standby-primary-form', false);
        return;
      }
      show('standby-primary-form', true);
      return call('GET', '/health/ready').then(function (ready) {
        var tn = (ready.checks || []).filter(function (c) { return c.name === 'tn'; })[0];
        // the TN's readiness data names why it refuses writes (fenced, drained); nothing: it takes them
        var refused = tn && tn.data && tn.data.writes;
        $('standby-summary').textContent = 'This cluster is a primary: '
            + (refused ? 'it takes no writes (' + refused.replace(/^refused: /, '') + ').' : 'it takes writes.');
        $('standby-summary').className = refused ? 'down' : 'up';
      });
    });
  }

  function promotionText(p) {
    return 'promoted at ' + p.promotedAt + ' by ' + p.by + ', with the primary\'s commits up to ' + p.commitTime;
  }

  // the buttons that change state: disabled for the read-only account, whose calls would be refused (403)
  function account() {
    return call('GET', '/api/account').then(function (a) {
      operator = a.operator === true;
      var controls = document.querySelectorAll('#standby .operator');
      for (var i = 0; i < controls.length; i++) {
        controls[i].disabled = !operator;
        controls[i].title = operator ? '' : 'the account ' + a.user + ' may only look';
      }
    });
  }

  // ------------------------------------------------------------------ charts

  function metrics() {
    return call('GET', '/api/console/metrics').then(function (m) {
      var now = Date.now();
      var qps = null;
      if (lastStatements && m.statements >= lastStatements.count) {
        qps = (m.statements - lastStatements.count) * 1000 / Math.max(1, now - lastStatements.at);
      }
      lastStatements = {count: m.statements, at: now};
      samples.push({qps: qps, p50: m.commitP50Millis, p99: m.commitP99Millis, lag: m.applyLag});
      if (samples.length > HISTORY) { samples.shift(); }
      draw('chart-qps', [['line', 'qps']]);
      draw('chart-commit', [['p50', 'p50'], ['p99', 'p99']]);
      draw('chart-lag', [['line', 'lag']]);
      $('value-qps').textContent = qps === null ? '' : qps.toFixed(1);
      $('value-commit').textContent = m.commitP50Millis === null ? '' : m.commitP50Millis.toFixed(2) + ' / '
          + m.commitP99Millis.toFixed(2);
      $('value-lag').textContent = m.applyLag === null ? '' : String(m.applyLag);
    });
  }

  function draw(svgId, series) {
    var svg = $(svgId);
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var max = 0;
    samples.forEach(function (s) {
      series.forEach(function (x) { if (s[x[1]] !== null && s[x[1]] > max) { max = s[x[1]]; } });
    });
    max = max > 0 ? max * 1.1 : 1;
    series.forEach(function (x) {
      var points = [];
      samples.forEach(function (s, i) {
        if (s[x[1]] !== null && s[x[1]] !== undefined) {
          points.push((i * 360 / (HISTORY - 1)).toFixed(1) + ',' + (80 - s[x[1]] * 78 / max).toFixed(1));
        }
      });
      var line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
      line.setAttribute('class', x[0]);
      line.setAttribute('points', points.join(' '));
      svg.appendChild(line);
    });
  }

  // ------------------------------------------------------------------ refresh

  function refresh() {
    var parts = [members(), proxySessions(), checks(), transactionNodes(), connections(), log(), storage(), backups(),
      metrics(), standby()];
    return Promise.all(parts.map(function (p) { return p.then(null, function (e) { return e; }); }))
        .then(function (results) {
          var failed = results.filter(function (r) { return r instanceof Error; });
          $('status').textContent = 'updated ' + new Date().toLocaleTimeString()
              + (failed.length ? ' (' + failed.map(function (e) { return e.message; }).join('; ') + ')' : '');
        });
  }

  $('add-peer').addEventListener('click', function () {
    // the new peer's server runs the log role with this id and waits to be let in; Ratis catches it up
    act('POST', '/api/cluster/log/peers?id=' + encodeURIComponent($('peer-id').value) + '&address='
        + encodeURIComponent($('peer-address').value));
  });

  $('heal').addEventListener('click', function () {
    $('heal-result').textContent = 'healing…';
    act('POST', '/api/storage/heal', function (r) {
      $('heal-result').textContent = r.objectsChecked + ' object(s) checked, ' + r.repairs.length
          + ' shard(s) repaired' + (r.failures.length ? ', ' + r.failures.length + ' failure(s)' : '');
    }).then(function () {
      if ($('message').textContent) { $('heal-result').textContent = ''; }
    });
  });

  $('backup-target').addEventListener('change', function () {
    backupList().then(null, function (e) { say(e.message); });
  });

  $('backup-create').addEventListener('click', function () {
    var folder = backupFolder();
    if (folder === '') { say('Type the folder on this server that the backup goes to.'); return; }
    // 202 with the job; the refresh that follows sees it run and looks at it every second until it ends
    act('POST', backupTarget('', folder), function (job) { showBackupJob(job); });
  });

  $('backup-prune').addEventListener('click', function () {
    var folder = backupFolder();
    var keep = $('backup-keep').value.trim();
    if (folder === '') { say('Type the folder of the backups to prune.'); return; }
    if (!/^[1-9][0-9]{0,5}$/.test(keep)) { say('Keep: how many of the newest backups stay, at least 1.'); return; }
    if (window.confirm('Keep the newest ' + keep + ' backup(s) in ' + folder
        + ' and remove the older ones, with every object no kept backup uses?')) {
      $('prune-result').textContent = '';
      act('POST', backupTarget('/prune?keep=' + keep, folder), function (r) {
        $('prune-result').textContent = 'kept ' + r.kept.length + ', removed ' + r.removed.length
            + (r.removed.length ? ' (' + r.removed.join(', ') + ')' : '') + ' and ' + r.objectsRemoved + ' object(s), ' + r.archiveSegmentsRemoved + ' archived log segment(s)';
      });
    }
  });

  $('standby-promote').addEventListener('click', function () {
    var force = $('standby-force').checked;
    if (!window.confirm('Promote this standby to a primary? It replays the archive to its end and fences the old'
        + ' primary, which takes no more writes.' + (force ? ' Forced: if the archive cannot be written the old primary'
        + ' is NOT fenced; it must be down for good.' : ''))) {
      return;
    }
    say('');
    $('promote-result').textContent = 'promoting…';
    $('promote-result').className = '';
    call('POST', '/api/standby/promote' + (force ? '?force=true' : '')).then(function (p) {
      $('promote-result').textContent = 'Promoted: ' + promotionText(p);
      $('promote-result').className = 'up';
      return refresh();
    }, function (e) {
      // a 409's reason says why not, and whether force would do
      $('promote-result').textContent = 'Not promoted: ' + (e.reason || e.message);
      $('promote-result').className = 'down';
    });
  });

  $('standby-drain').addEventListener('click', function () {
    $('switchover-result').textContent = 'draining…';
    $('switchover-result').className = '';
    act('POST', '/api/standby/drain', function (d) {
      $('switchover-result').textContent = 'Drained: the archive holds every commit, the last at ' + d.commitTime
          + ' (commit timestamp ' + d.commitTs + ', LSN ' + d.lsn + '); promote the standby once it shows that time.';
      $('switchover-result').className = 'up';
    }).then(function (ok) {
      if (ok === false) { $('switchover-result').textContent = ''; }
    });
  });

  $('standby-undrain').addEventListener('click', function () {
    $('switchover-result').textContent = '';
    act('DELETE', '/api/standby/drain');
  });

  account().then(null, function (e) { say(e.message); });
  refresh();
  setInterval(refresh, PERIOD_MS);
  setInterval(function () {
    if (following) { standby().then(null, function () {}); } // a failure shows in the next refresh's status
  }, STANDBY_PERIOD_MS);
}());
