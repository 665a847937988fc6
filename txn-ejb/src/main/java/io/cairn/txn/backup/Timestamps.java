package io.cairn.txn.backup;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

/**
 * Commit timestamps (microseconds since 1970 UTC, as the TN gives them) to and from the text people use:
 * {@code YYYY-MM-DD HH:MM:SS[.ffffff]} in UTC.
 */
public final class Timestamps {
    private static final DateTimeFormatter TEXT = new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 1, 6, true).optionalEnd().toFormatter();
    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private Timestamps() {
    }

    public static String toText(long micros) {
        Instant instant = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        return OUT.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** @throws IllegalArgumentException the text is not such a moment */
    public static long fromText(String text) {
        try {
            Instant instant = LocalDateTime.parse(text.trim(), TEXT).toInstant(ZoneOffset.UTC);
            return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("not a moment in the form 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC): " + text);
        }
    }
}
