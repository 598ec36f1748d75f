//! `entraide admin backup FILE`: the database and the files of the data directory in one
//! `.tar.gz`, with a manifest first.
//!
//! SQLite: a consistent copy taken while the node runs (`VACUUM INTO`). PostgreSQL: `pg_dump
//! --format=custom`, which must be installed (the same major version as the server or newer);
//! without it the command says so and what to run instead (docs/admin.md). The search index
//! (`<data_dir>/search`) is left out: a node rebuilds it from the database.
//!
//! The archive is written to `FILE.partial` and renamed when complete: a failed backup leaves
//! no file that looks like a backup.

use crate::{
    clock::{Clock, SystemClock},
    config::Config,
    storage,
};
use anyhow::{anyhow, bail, Context as _};
use flate2::{write::GzEncoder, Compression};
use serde::{Deserialize, Serialize};
use std::{
    fs::File,
    path::{Path, PathBuf},
    process::Command,
};

/// What a backup says of itself (`manifest.json`, the archive's first entry).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    pub format_version: u32,
    /// The Entraide that made it.
    pub entraide_version: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The newest migration applied to the database copied.
    pub schema_version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The database's entry in the archive.
    pub database: String,
    /// How many files of the data directory it holds (under `data/`).
    pub files: usize,
}

pub const FORMAT: &str = "entraide-backup";
pub const FORMAT_VERSION: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
pub const SQLITE_ENTRY: &str = "database/entraide.sqlite";
pub const PG_ENTRY: &str = "database/entraide.pgdump";
/// Where the data directory's files are in the archive.
pub const DATA_PREFIX: &str = "data";

/// Writes the backup of the node `config` describes into `file`; returns its manifest.
pub async fn backup(config: &Config, file: &Path) -> anyhow::Result<Manifest> {
    let url = config.database_url();
    let status = storage::inspect(&url)
        .await
        .with_context(|| "cannot open the database")?;
    if status.applied != status.latest {
        bail!(
            "the database's schema is at {}, this Entraide's at {}: back up with the Entraide \
             that runs the node (or run `entraide migrate` first)",
            status.applied,
            status.latest
        );
    }
    let partial = with_suffix(file, ".partial");
    let dump = with_suffix(file, ".database");
    let _ = std::fs::remove_file(&dump);
    let result = write(config, &url, &status, file, &partial, &dump).await;
    let _ = std::fs::remove_file(&dump);
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

async fn write(
    config: &Config,
    url: &str,
    status: &storage::SchemaStatus,
    file: &Path,
    partial: &Path,
    dump: &Path,
) -> anyhow::Result<Manifest> {
    let entry = if status.backend == "postgres" {
        pg_dump(url, dump)?;
        PG_ENTRY
    } else {
        let store = storage::connect(url, 1).await?;
        store
            .copy_database_into(dump)
            .await
            .with_context(|| format!("cannot copy the database into {}", dump.display()))?;
        SQLITE_ENTRY
    };
    let data_dir = &config.server.data_dir;
    let skip = Skipped::new(config, file, partial, dump);
    let mut files = Vec::new();
    if data_dir.exists() {
        collect(data_dir, Path::new(""), &skip, &mut files)?;
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        entraide_version: env!("CARGO_PKG_VERSION").into(),
        backend: status.backend.into(),
        schema_version: status.applied,
        created_at: SystemClock.now(),
        database: entry.into(),
        files: files.len(),
    };
    let out =
        File::create(partial).with_context(|| format!("cannot write {}", partial.display()))?;
    let mut tar = tar::Builder::new(GzEncoder::new(out, Compression::default()));
    let text = serde_json::to_vec_pretty(&manifest)?;
    let mut header = tar::Header::new_gnu();
    header.set_size(text.len() as u64);
    header.set_mode(0o600);
    header.set_mtime(manifest.created_at.timestamp().max(0) as u64);
    header.set_cksum();
    tar.append_data(&mut header, MANIFEST, text.as_slice())?;
    tar.append_path_with_name(dump, entry)?;
    for relative in &files {
        tar.append_path_with_name(
            data_dir.join(relative),
            Path::new(DATA_PREFIX).join(relative),
        )
        .with_context(|| format!("cannot read {}", data_dir.join(relative).display()))?;
    }
    let gz = tar.into_inner()?;
    let out = gz.finish()?;
    out.sync_all()?;
    std::fs::rename(partial, file).with_context(|| format!("cannot write {}", file.display()))?;
    Ok(manifest)
}

/// What a backup leaves out of the data directory: the search index, the live SQLite files,
/// and the backup being written.
struct Skipped {
    paths: Vec<PathBuf>,
}

impl Skipped {
    fn new(config: &Config, file: &Path, partial: &Path, dump: &Path) -> Skipped {
        let mut paths = vec![config.server.data_dir.join("search")];
        if let Some(db) = storage::sqlite_path(&config.database_url()) {
            paths.extend(sqlite_files(&db));
        }
        paths.extend([file, partial, dump].map(Path::to_path_buf));
        let paths = paths
            .into_iter()
            .map(|p| std::path::absolute(&p).unwrap_or(p))
            .collect();
        Skipped { paths }
    }

    fn contains(&self, path: &Path) -> bool {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.paths.contains(&path)
    }
}

/// The files under `root/relative`, as paths relative to `root` (no symbolic links followed).
fn collect(
    root: &Path,
    relative: &Path,
    skip: &Skipped,
    out: &mut Vec<PathBuf>,
) -> anyhow::Result<()> {
    let dir = root.join(relative);
    let mut entries = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = relative.join(entry.file_name());
        let kind = entry.file_type()?;
        let own = entry.file_name().to_string_lossy().starts_with(".restore-")
            || entry.file_name().to_string_lossy().starts_with(".doctor-");
        if skip.contains(&path) || own {
            continue;
        }
        if kind.is_dir() {
            collect(root, &name, skip, out)?;
        } else if kind.is_file() {
            out.push(name);
        }
    }
    Ok(())
}

/// An SQLite database's file and the files SQLite keeps beside it.
pub(super) fn sqlite_files(db: &Path) -> [PathBuf; 4] {
    ["", "-wal", "-shm", "-journal"].map(|suffix| with_suffix(db, suffix))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// `pg_dump --format=custom` of the database into `out`.
fn pg_dump(url: &str, out: &Path) -> anyhow::Result<()> {
    let run = Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(out)
        .arg(url)
        .output();
    match run {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(anyhow!(
            "pg_dump is not installed: install the PostgreSQL client (the server's major version \
             or newer), or back up by hand: `pg_dump --format=custom --no-owner \
             --no-privileges --file entraide.pgdump <database URL>` and a copy of the data \
             directory without its search/ folder (docs/admin.md, Backups)"
        )),
        Err(e) => Err(anyhow!("cannot run pg_dump: {e}")),
        Ok(o) if !o.status.success() => Err(anyhow!(
            "pg_dump failed ({}): {}",
            o.status,
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Ok(_) => Ok(()),
    }
}
