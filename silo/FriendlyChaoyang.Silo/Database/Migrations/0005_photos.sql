-- 0005: issue photos, shared by every API instance (client-api Issues/Photos/PhotoStore).
--
-- Content-addressed: the key is the SHA-256 of the metadata-stripped bytes in lower-case hex, which is all an issue's
-- grain state keeps. Uploads insert with ON CONFLICT DO NOTHING, so a retried or repeated photo stores nothing new.
-- Rows are never updated; a row no issue points at (its report failed after the photo was stored) is harmless.

CREATE TABLE IF NOT EXISTS photos
(
    sha256       text        NOT NULL,
    content      bytea       NOT NULL,
    content_type text        NOT NULL,
    size_bytes   integer     NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT pk_photos PRIMARY KEY (sha256),
    CONSTRAINT ck_photos_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT ck_photos_size CHECK (size_bytes = octet_length(content))
);

-- JPEG, PNG and WebP are compressed already: keep them out of line without another, wasted, compression attempt.
ALTER TABLE photos ALTER COLUMN content SET STORAGE EXTERNAL;
