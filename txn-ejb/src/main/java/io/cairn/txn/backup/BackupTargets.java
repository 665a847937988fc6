package io.cairn.txn.backup;

/**
 * Opens a {@link BackupTarget} from its address: an absolute folder path ({@link FolderTarget}), or an S3 address
 * ({@link S3Location}: {@code s3+http://HOST:PORT/BUCKET/PREFIX}, {@code s3+https://…}, {@code s3://BUCKET/PREFIX})
 * with the path of its credentials file on this server ({@link S3Credentials}).
 */
public final class BackupTargets {
    private BackupTargets() {
    }

    /**
     * @param address     the folder or S3 address
     * @param credentials the credentials file of an S3 target; null (or blank) for a folder
     * @param create      make the folder or bucket if it does not exist (where backups and the archive go)
     * @throws IllegalArgumentException a bad address, a missing or unreadable credentials file, credentials given
     *                                  for a folder, or a store that cannot be used (the message never holds a key)
     */
    public static BackupTarget open(String address, String credentials, boolean create) {
        boolean hasCredentials = credentials != null && !credentials.isBlank();
        if (S3Location.isS3(address)) {
            S3Location location = S3Location.parse(address);
            if (!hasCredentials) {
                throw new IllegalArgumentException("the S3 target " + location + " needs a credentials file "
                        + "(access-key=…, secret-key=…)");
            }
            return S3Target.connect(location, S3Credentials.load(credentials), create);
        }
        if (hasCredentials) {
            throw new IllegalArgumentException("a folder target takes no credentials file");
        }
        return FolderTarget.at(address, create);
    }
}
