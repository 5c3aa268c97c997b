//! Validation against the standard's XSDs, which are compiled into the
//! binary: a message is checked by `xmllint --schema` (Debian's
//! libxml2-utils), the reference validator the chain partners use too, with
//! the XSDs unpacked once into a private temporary folder.
//!
//! Waakvlam validates every message it reads before applying anything, and
//! its tests validate every message it writes.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::MessageKind;

/// The vendored XSDs (see `xsd/PROVENANCE.md`), by file name.
const FILES: [(&str, &str); 15] = [
    ("basisschema.xsd", include_str!("../xsd/basisschema.xsd")),
    ("WMO301.xsd", include_str!("../xsd/WMO301.xsd")),
    ("WMO302.xsd", include_str!("../xsd/WMO302.xsd")),
    ("WMO305.xsd", include_str!("../xsd/WMO305.xsd")),
    ("WMO306.xsd", include_str!("../xsd/WMO306.xsd")),
    ("WMO307.xsd", include_str!("../xsd/WMO307.xsd")),
    ("WMO308.xsd", include_str!("../xsd/WMO308.xsd")),
    ("WMO315.xsd", include_str!("../xsd/WMO315.xsd")),
    ("WMO316.xsd", include_str!("../xsd/WMO316.xsd")),
    ("WMO317.xsd", include_str!("../xsd/WMO317.xsd")),
    ("WMO318.xsd", include_str!("../xsd/WMO318.xsd")),
    ("WMO319.xsd", include_str!("../xsd/WMO319.xsd")),
    ("WMO320.xsd", include_str!("../xsd/WMO320.xsd")),
    ("WMO323.xsd", include_str!("../xsd/WMO323.xsd")),
    ("WMO325.xsd", include_str!("../xsd/WMO325.xsd")),
];

/// How many documents one xmllint run checks at most.
pub const BATCH: usize = 250;

/// Why a document could not be checked, or what the check found.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The document does not conform to the XSD; xmllint's own words, one
    /// complaint per line (line number and element).
    #[error("not valid against {xsd}: {complaints}")]
    Invalid { xsd: String, complaints: String },
    #[error(
        "xmllint could not be run (install Debian's libxml2-utils, or set WAAKVLAM_XMLLINT): {0}"
    )]
    NoValidator(std::io::Error),
    #[error("the XSDs could not be unpacked into {0}: {1}")]
    Unpack(PathBuf, std::io::Error),
}

/// The XSDs unpacked in a folder of their own, removed when dropped.
pub struct Schemas {
    dir: PathBuf,
    xmllint: PathBuf,
}

impl Schemas {
    /// Unpacks the XSDs into a new folder under the system's temporary
    /// folder. xmllint is `WAAKVLAM_XMLLINT` or `xmllint` on the `PATH`.
    pub fn unpack() -> Result<Self, SchemaError> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let base = std::env::temp_dir();
        // A folder of this process's own; one left behind by an earlier
        // process with the same id is skipped, never reused.
        let dir = loop {
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let dir = base.join(format!("waakvlam-iwmo-xsd-{}-{n}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => break dir,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(SchemaError::Unpack(dir, e)),
            }
        };
        for (name, text) in FILES {
            std::fs::write(dir.join(name), text)
                .map_err(|e| SchemaError::Unpack(dir.clone(), e))?;
        }
        let xmllint = std::env::var_os("WAAKVLAM_XMLLINT")
            .map_or_else(|| PathBuf::from("xmllint"), PathBuf::from);
        Ok(Self { dir, xmllint })
    }

    /// The folder the XSDs are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Checks `xml` against the XSD of `kind`.
    pub fn validate(&self, kind: MessageKind, xml: &str) -> Result<(), SchemaError> {
        let xsd = self.dir.join(kind.xsd_file());
        let mut child = Command::new(&self.xmllint)
            .arg("--noout")
            .arg("--nonet")
            .arg("--schema")
            .arg(&xsd)
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(SchemaError::NoValidator)?;
        if let Some(mut stdin) = child.stdin.take() {
            // A write error means xmllint stopped early; its exit says why.
            let _ = stdin.write_all(xml.as_bytes());
        }
        let out = child.wait_with_output().map_err(SchemaError::NoValidator)?;
        if out.status.success() {
            return Ok(());
        }
        let complaints = String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.ends_with("fails to validate"))
            .map(|l| l.trim_start_matches("-:").trim())
            .collect::<Vec<_>>()
            .join("\n");
        Err(SchemaError::Invalid {
            xsd: kind.xsd_file(),
            complaints,
        })
    }

    /// Checks many documents of one kind with one xmllint run per
    /// [`BATCH`] documents instead of one each (a run costs more than a
    /// message does), as many runs side by side as the machine has cores;
    /// the answer per document, in their order, is what
    /// [`Schemas::validate`] would say of it.
    pub fn validate_many(
        &self,
        kind: MessageKind,
        docs: &[&str],
    ) -> Result<Vec<Result<(), SchemaError>>, SchemaError> {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let chunks: Vec<&[&str]> = docs.chunks(BATCH).collect();
        let mut out = Vec::with_capacity(docs.len());
        for side_by_side in chunks.chunks(cores) {
            let answers: Vec<_> = std::thread::scope(|scope| {
                let runs: Vec<_> = side_by_side
                    .iter()
                    .map(|chunk| scope.spawn(move || self.run(kind, chunk)))
                    .collect();
                runs.into_iter()
                    .map(|run| {
                        run.join().unwrap_or_else(|_| {
                            Err(SchemaError::NoValidator(std::io::Error::other(
                                "an xmllint run panicked",
                            )))
                        })
                    })
                    .collect()
            });
            for answer in answers {
                out.extend(answer?);
            }
        }
        Ok(out)
    }

    /// One xmllint run over `docs` (of one kind), each written to a file of
    /// its own in a folder of the run's own.
    fn run(
        &self,
        kind: MessageKind,
        docs: &[&str],
    ) -> Result<Vec<Result<(), SchemaError>>, SchemaError> {
        static RUN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let xsd = self.dir.join(kind.xsd_file());
        let run = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let folder = self.dir.join(format!("batch-{run}"));
        std::fs::create_dir(&folder).map_err(|e| SchemaError::Unpack(folder.clone(), e))?;
        let paths: Vec<PathBuf> = (0..docs.len())
            .map(|i| folder.join(format!("{i}.xml")))
            .collect();
        for (path, doc) in paths.iter().zip(docs) {
            std::fs::write(path, doc).map_err(|e| SchemaError::Unpack(folder.clone(), e))?;
        }
        let result = Command::new(&self.xmllint)
            .arg("--noout")
            .arg("--nonet")
            .arg("--schema")
            .arg(&xsd)
            .args(&paths)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output();
        let _ = std::fs::remove_dir_all(&folder);
        let stderr = result.map_err(SchemaError::NoValidator)?.stderr;
        let stderr = String::from_utf8_lossy(&stderr);
        // What xmllint said of each file: "<file> validates", or lines
        // "<file>:<line>: <complaint>" (sorted out once, not per file).
        let mut said: HashMap<&str, (bool, Vec<String>)> = HashMap::new();
        for line in stderr.lines() {
            if let Some(file) = line.strip_suffix(" validates") {
                said.entry(file).or_default().0 = true;
            } else if let Some((file, rest)) = line.split_once(".xml:") {
                said.entry(&line[..file.len() + 4])
                    .or_default()
                    .1
                    .push(rest.trim().to_owned());
            }
        }
        Ok(paths
            .iter()
            .map(|path| {
                let name = path.to_string_lossy();
                let (valid, mut complaints) = said.remove(name.as_ref()).unwrap_or_default();
                if valid {
                    return Ok(());
                }
                if complaints.is_empty() {
                    complaints.push(
                        stderr
                            .lines()
                            .find(|l| !l.trim().is_empty() && !l.ends_with("validates"))
                            .unwrap_or("xmllint gave no reason")
                            .to_owned(),
                    );
                }
                Err(SchemaError::Invalid {
                    xsd: kind.xsd_file(),
                    complaints: complaints.join("\n"),
                })
            })
            .collect())
    }
}

impl Drop for Schemas {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
