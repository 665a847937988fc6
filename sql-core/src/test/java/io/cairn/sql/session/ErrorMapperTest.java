package io.cairn.sql.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.data.DataUnavailableException;
import io.cairn.mysql.MysqlException;
import io.cairn.txn.TransactionNodeUnavailableException;
import io.cairn.txn.WriteConflictException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
    /**
     * Found by the chaos suite (pause of the active TN): an autocommit INSERT answered 1205 "try
     * restarting transaction" was committed all the same. A commit that no TN answered in time may be in
     * the log; the client must not be told to run it again.
     */
    @Test
    void aCommitWhoseOutcomeIsUnknownIsNotReportedAsRetryable() {
        MysqlException e = ErrorMapper.toMysql(
                new TransactionNodeUnavailableException("transaction node 127.0.0.1:9081 did not answer", null), "db");
        assertThat(e.code()).isEqualTo(1105);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("may or may not have been committed").contains("127.0.0.1:9081");
    }

    @Test
    void aWriteConflictStaysARetryableDeadlock() {
        MysqlException e = ErrorMapper.toMysql(new WriteConflictException("write conflict on k"), "db");
        assertThat(e.code()).isEqualTo(1213);
        assertThat(e.sqlState()).isEqualTo("40001");
        assertThat(e.retryable()).isTrue();
    }

    /**
     * The chaos suite's long run saw a COMMIT answered 1205 "try restarting transaction" whose transfer was
     * committed. Whatever fails a commit other than a conflict must be reported as an unknown outcome.
     */
    @Test
    void aCommitThatFailedForAnyOtherReasonIsReportedAsAnUnknownOutcome() {
        MysqlException e = ErrorMapper.toMysql(new CommitOutcomeUnknownException(
                new DataUnavailableException("the log cannot confirm its commit index", null)), "db");
        assertThat(e.code()).isEqualTo(1105);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("may or may not have been committed")
                .contains("the log cannot confirm its commit index");
    }

    @Test
    void dataUnavailableOutsideACommitIsARetryableLockWaitTimeoutThatNamesItsCause() {
        MysqlException e = ErrorMapper.toMysql(new DataUnavailableException("no majority", null), "db");
        assertThat(e.code()).isEqualTo(1205);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).startsWith("Lock wait timeout exceeded").contains("no majority");
    }
}
