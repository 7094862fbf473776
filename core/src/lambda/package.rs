//! A function's deployment package: `Code.ZipFile`, a zip archive in base64, read into the files
//! the runtime loads. Stored and deflated entries are read; any other input is Lambda's
//! "Could not unzip uploaded file" error, never a panic.

use crate::error::AwsError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// The largest zip Lambda takes in a request (50 MB).
pub const MAX_ZIP_BYTES: usize = 50 * 1024 * 1024;

/// The most a function and its layers may hold unzipped (250 MB).
pub const MAX_UNZIPPED_BYTES: u64 = 262_144_000;

/// A package as Lambda keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// The text files, by path inside the archive (`index.mjs`, `lib/db.js`). Files that are not
    /// UTF-8 text (images, native binaries) are counted in the sizes but not kept: the runtime
    /// loads only JavaScript and JSON.
    pub files: BTreeMap<String, String>,
    /// Base64 of the SHA-256 of the zip, as `CodeSha256`.
    pub sha256: String,
    /// The zip's size in bytes, as `CodeSize`.
    pub size: u64,
    /// The size of every entry, unzipped.
    pub unzipped: u64,
}

fn unreadable() -> AwsError {
    AwsError {
        code: "InvalidParameterValueException".into(),
        message: "Could not unzip uploaded file. Please check your file, then try to upload again.".into(),
        status: 400,
        details: None,
    }
}

/// Reads a zip archive (its bytes, already decoded from base64).
pub fn read(zip_bytes: &[u8]) -> Result<Package, AwsError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip_bytes)).map_err(|_| unreadable())?;
    let mut files = BTreeMap::new();
    let mut unzipped: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|_| unreadable())?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(|_| unreadable())?;
        let name = name.trim_start_matches("./").trim_start_matches('/').to_string();
        if name.split('/').any(|part| part == "..") {
            return Err(unreadable());
        }
        unzipped = unzipped.saturating_add(entry.size());
        if unzipped > MAX_UNZIPPED_BYTES {
            return Err(too_big());
        }
        // Read at most what the entry says it holds (and the limit), so a lying header cannot
        // make the reader allocate without bound.
        let mut bytes = Vec::new();
        (&mut entry).take(MAX_UNZIPPED_BYTES + 1).read_to_end(&mut bytes).map_err(|_| unreadable())?;
        if let Ok(text) = String::from_utf8(bytes) {
            files.insert(name, text);
        }
    }
    let digest = Sha256::digest(zip_bytes);
    Ok(Package { files, sha256: crate::wire::encode_base64(&digest), size: zip_bytes.len() as u64, unzipped })
}

fn too_big() -> AwsError {
    AwsError {
        code: "InvalidParameterValueException".into(),
        message: format!("Unzipped size must be smaller than {MAX_UNZIPPED_BYTES} bytes"),
        status: 400,
        details: None,
    }
}

/// Writes a zip of `files` (stored or deflated): how tests, examples and the console's code
/// editor make a `Code.ZipFile`.
pub fn write(files: &[(&str, &str)], deflate: bool) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let method = if deflate { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
    let options = SimpleFileOptions::default().compression_method(method);
    for (name, text) in files {
        writer.start_file(*name, options).expect("writing to memory");
        std::io::Write::write_all(&mut writer, text.as_bytes()).expect("writing to memory");
    }
    writer.finish().expect("writing to memory").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_and_deflated_archives_read_back() {
        for deflate in [false, true] {
            let zip = write(&[("index.mjs", "export const handler = async () => 1;"), ("lib/a.js", "x")], deflate);
            let package = read(&zip).unwrap();
            assert_eq!(package.files.keys().collect::<Vec<_>>(), ["index.mjs", "lib/a.js"]);
            assert_eq!(package.size, zip.len() as u64);
            assert_eq!(package.sha256.len(), 44);
        }
    }

    #[test]
    fn what_is_not_a_zip_is_refused_without_panicking() {
        for bytes in [
            &b""[..],
            b"PK",
            b"hello world",
            &[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ] {
            if let Err(e) = read(bytes) {
                assert_eq!(e.code, "InvalidParameterValueException");
            }
        }
        let mut zip = write(&[("index.mjs", "export const handler = async () => 1;")], true);
        let middle = zip.len() / 2;
        zip[middle] ^= 0xff;
        let _ = read(&zip);
    }
}
