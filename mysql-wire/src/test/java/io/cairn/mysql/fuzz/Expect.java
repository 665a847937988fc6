package io.cairn.mysql.fuzz;

import io.cairn.mysql.MysqlError;
import io.cairn.mysql.fuzz.WireClient.Answer;
import io.cairn.mysql.fuzz.WireClient.Outcome;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The answers a case accepts: some error codes, and which other outcomes. Immutable. */
public final class Expect {
    /** Malformed packet, packets out of order: MySQL closes the connection after these. */
    public static final Set<Integer> FATAL = Set.of(1835, 1156);

    /** Errors an engine may give a statement that makes no sense (the fixtures' parse and lookup errors). */
    public static final int[] STATEMENT_ERRORS = {1064, 1065, 1046, 1049, 1054, 1146, 1094, 1243, 1210, 1105};

    private static final Map<Integer, Set<String>> REGISTRY = new HashMap<>();

    static {
        for (MysqlError e : MysqlError.values()) {
            REGISTRY.computeIfAbsent(e.code(), k -> new HashSet<>()).add(e.sqlState());
        }
    }

    private final Set<Integer> errors;
    private final EnumSet<Outcome> outcomes;

    private Expect(Set<Integer> errors, EnumSet<Outcome> outcomes) {
        this.errors = errors;
        this.outcomes = outcomes;
    }

    /** One of these errors (none: no error is accepted). */
    public static Expect err(int... codes) {
        Set<Integer> s = new TreeSet<>();
        for (int c : codes) {
            s.add(c);
        }
        return new Expect(s, EnumSet.noneOf(Outcome.class));
    }

    public static Expect ok() {
        return err().orOk();
    }

    public Expect or(int... codes) {
        Set<Integer> s = new TreeSet<>(errors);
        for (int c : codes) {
            s.add(c);
        }
        return new Expect(s, outcomes);
    }

    private Expect with(Outcome o) {
        EnumSet<Outcome> s = EnumSet.copyOf(outcomes);
        s.add(o);
        return new Expect(errors, s);
    }

    public Expect orOk() {
        return with(Outcome.OK);
    }

    public Expect orRows() {
        return with(Outcome.ROWS);
    }

    public Expect orEof() {
        return with(Outcome.EOF);
    }

    public Expect orOther() {
        return with(Outcome.OTHER);
    }

    public Expect orClosed() {
        return with(Outcome.CLOSED);
    }

    public boolean allowsClose() {
        return outcomes.contains(Outcome.CLOSED);
    }

    /** Null when {@code a} is accepted, else why not. SILENT is never accepted. */
    String problem(Answer a) {
        if (a.outcome() == Outcome.ERR) {
            Set<String> states = REGISTRY.get(a.code());
            if (states == null || !states.contains(a.sqlState())) {
                return "an error that is not MySQL's: " + a;
            }
            if (a.message().isEmpty()) {
                return "an error without a message: " + a;
            }
            return errors.contains(a.code()) ? null : "error " + a + ", expected " + this;
        }
        return outcomes.contains(a.outcome()) ? null : a + ", expected " + this;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (!errors.isEmpty()) {
            b.append("ERR ").append(errors);
        }
        for (Outcome o : outcomes) {
            b.append(b.length() > 0 ? " or " : "").append(o);
        }
        return b.toString();
    }
}
