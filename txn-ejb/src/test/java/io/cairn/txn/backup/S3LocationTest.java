package io.cairn.txn.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 address forms and the credentials file. */
class S3LocationTest {
    @TempDir
    Path folder;

    @Test
    void theThreeAddressForms() {
        S3Location local = S3Location.parse("s3+http://127.0.0.1:9000/backups/cairn/prod/");
        assertThat(local).isEqualTo(new S3Location("http://127.0.0.1:9000", "backups", "cairn/prod/"));
        assertThat(local.toString()).isEqualTo("s3+http://127.0.0.1:9000/backups/cairn/prod");
        assertThat(S3Location.parse("s3+https://minio.example.com/b-1"))
                .isEqualTo(new S3Location("https://minio.example.com", "b-1", ""));
        S3Location aws = S3Location.parse("s3://my.bucket/x");
        assertThat(aws).isEqualTo(new S3Location(S3Location.AWS_ENDPOINT, "my.bucket", "x/"));
        assertThat(aws.aws()).isTrue();
        assertThat(aws.toString()).isEqualTo("s3://my.bucket/x");
        assertThat(S3Location.parse(aws.toString())).isEqualTo(aws);
    }

    @Test
    void credentialsInTheAddressAreRefusedWithoutRepeatingThem() {
        for (String address : new String[] {"s3+http://key:SECRET@127.0.0.1:9000/b/p", "s3://key:SECRET@bucket/p"}) {
            assertThatThrownBy(() -> S3Location.parse(address)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("credentials file").hasMessageNotContaining("SECRET");
        }
    }

    @Test
    void badAddressesAreRefused() {
        for (String address : new String[] {"s3+http://127.0.0.1:9000/", "s3+http://h/Upper", "s3://bkt/p?x=1",
                "s3://bkt/p#f", "s3+http://h/bkt/../x", "s3+http://h/bkt/a b", "s3://" + "b".repeat(64), "s3+ftp://h/bkt"}) {
            assertThatThrownBy(() -> S3Location.parse(address)).as(address).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(S3Location.isS3("/backups")).isFalse();
    }

    @Test
    void credentialsComeFromAReadableFileAndAreNeverShown() throws Exception {
        Path file = folder.resolve("s3.properties");
        Files.writeString(file, "access-key = AK\nsecret-key = SK-SECRET\n");
        S3Credentials credentials = S3Credentials.load(file.toString());
        assertThat(credentials.accessKey()).isEqualTo("AK");
        assertThat(credentials.secretKey()).isEqualTo("SK-SECRET");
        assertThat(credentials.region()).isNull();
        assertThat(credentials.toString()).doesNotContain("AK").doesNotContain("SK-SECRET");

        Files.writeString(file, "access-key=AK\n");
        assertThatThrownBy(() -> S3Credentials.load(file.toString())).hasMessageContaining("secret-key");
        assertThatThrownBy(() -> S3Credentials.load(folder.resolve("missing").toString()))
                .hasMessageContaining("not a readable file");
        assertThatThrownBy(() -> S3Credentials.load("relative.properties")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> BackupTargets.open("s3+http://127.0.0.1:9/bkt", null, true))
                .hasMessageContaining("needs a credentials file");
    }
}
