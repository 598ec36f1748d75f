//! `entraide admin restore FILE [--force]`: a backup of `admin backup` onto a fresh data
//! directory and database.
//!
//! The archive is read whole into a staging folder of the data directory before anything is
//! put in place, so a wrong or damaged file changes nothing. Without `--force`, a data
//! directory with files in it, an existing SQLite file or a PostgreSQL database with a schema
//! are refused; with it, the data directory's contents and the database are replaced.

use super::backup::{
    sqlite_files, Manifest, DATA_PREFIX, FORMAT, FORMAT_VERSION, MANIFEST, PG_ENTRY, SQLITE_ENTRY,
};
use crate::{config::Config, storage};
use anyhow::{anyhow, bail, Context as _};
use flate2::read::GzDecoder;
use std::{fs::File, io::Read, path::Path, process::Command};

/// Restores `file` onto the node `config` describes; returns the backup's manifest.
pub async fn restore(config: &Config, file: &Path, force: bool) -> anyhow::Result<Manifest> {
    let opened = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let mut archive = tar::Archive::new(GzDecoder::new(opened));
    let mut entries = archive
        .entries()
        .map_err(|e| not_a_backup(file, &e.to_string()))?;
    let manifest = read_manifest(file, entries.next())?;
    let url = config.database_url();
    let sqlite = storage::sqlite_path(&url);
    let backend = if sqlite.is_some() {
        "sqlite"
    } else {
        "postgres"
    };
    if manifest.backend != backend {
        bail!(
            "{} holds a {} database but this configuration names a {backend} one ({})",
            file.display(),
            manifest.backend,
            "database.url"
        );
    }
    let latest = storage::latest_migration(backend);
    if manifest.schema_version > latest {
        bail!(
            "{} was made by Entraide {} (schema {}), newer than this one (schema {latest}): \
             restore it with that version or a newer one",
            file.display(),
            manifest.entraide_version,
            manifest.schema_version
        );
    }
    let data_dir = &config.server.data_dir;
    if !force {
        refuse_non_empty(data_dir, sqlite.as_deref(), &url).await?;
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let staging = data_dir.join(format!(".restore-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)?;
    let done = (|| -> anyhow::Result<()> {
        unpack(file, entries, &staging)?;
        let dump = staging.join(&manifest.database);
        if !dump.is_file() || ![SQLITE_ENTRY, PG_ENTRY].contains(&manifest.database.as_str()) {
            return Err(damaged(file, "it holds no database"));
        }
        if force {
            clear(data_dir, &staging)?;
        }
        match &sqlite {
            Some(db) => {
                if force {
                    for path in sqlite_files(db) {
                        let _ = std::fs::remove_file(path);
                    }
                }
                if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)?;
                }
                move_file(&dump, db)?;
            }
            None => pg_restore(&url, &dump, force)?,
        }
        let data = staging.join(DATA_PREFIX);
        if data.is_dir() {
            for entry in std::fs::read_dir(&data)? {
                let entry = entry?;
                move_file(&entry.path(), &data_dir.join(entry.file_name()))?;
            }
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&staging);
    done?;
    // An older backup is brought up to this build's schema; the store opens or says why.
    storage::connect(&url, 1)
        .await
        .with_context(|| "the restored database does not open")?;
    Ok(manifest)
}

fn not_a_backup(file: &Path, why: &str) -> anyhow::Error {
    anyhow!(
        "{} is not a backup of Entraide (`entraide admin backup` makes them): {why}",
        file.display()
    )
}

fn damaged(file: &Path, why: &str) -> anyhow::Error {
    anyhow!(
        "{} is damaged (truncated or altered): {why}; nothing was restored",
        file.display()
    )
}

type Entries<'a> = tar::Entries<'a, GzDecoder<File>>;

fn read_manifest(
    file: &Path,
    first: Option<std::io::Result<tar::Entry<'_, GzDecoder<File>>>>,
) -> anyhow::Result<Manifest> {
    let mut entry = match first {
        None => return Err(not_a_backup(file, "it is empty")),
        Some(Err(e)) => return Err(not_a_backup(file, &e.to_string())),
        Some(Ok(e)) => e,
    };
    let path = entry.path().map(|p| p.to_path_buf()).unwrap_or_default();
    if path != Path::new(MANIFEST) || entry.size() > 1 << 20 {
        return Err(not_a_backup(file, "it does not begin with manifest.json"));
    }
    let mut text = String::new();
    entry
        .read_to_string(&mut text)
        .map_err(|e| damaged(file, &e.to_string()))?;
    let manifest: Manifest =
        serde_json::from_str(&text).map_err(|e| not_a_backup(file, &e.to_string()))?;
    if manifest.format != FORMAT {
        return Err(not_a_backup(file, "its manifest is of another format"));
    }
    if manifest.format_version > FORMAT_VERSION {
        bail!(
            "{} is a backup of format {} made by Entraide {}: this one reads format \
             {FORMAT_VERSION}; restore it with that version or a newer one",
            file.display(),
            manifest.format_version,
            manifest.entraide_version
        );
    }
    Ok(manifest)
}

/// Extracts every entry under `staging`; only `database/…` and `data/…` are expected.
fn unpack(file: &Path, entries: Entries<'_>, staging: &Path) -> anyhow::Result<()> {
    for entry in entries {
        let mut entry = entry.map_err(|e| damaged(file, &e.to_string()))?;
        let path = entry
            .path()
            .map_err(|e| damaged(file, &e.to_string()))?
            .to_path_buf();
        let top = path.components().next().map(|c| c.as_os_str().to_owned());
        if !matches!(
            top.as_ref().and_then(|t| t.to_str()),
            Some("database" | "data")
        ) {
            return Err(damaged(
                file,
                &format!("unexpected entry {}", path.display()),
            ));
        }
        if !entry
            .unpack_in(staging)
            .map_err(|e| damaged(file, &e.to_string()))?
        {
            return Err(damaged(
                file,
                &format!("entry {} points outside", path.display()),
            ));
        }
    }
    Ok(())
}

async fn refuse_non_empty(data_dir: &Path, sqlite: Option<&Path>, url: &str) -> anyhow::Result<()> {
    let busy = std::fs::read_dir(data_dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if busy {
        bail!(
            "the data directory {} is not empty: restore onto a fresh one, or add --force to \
             replace its contents",
            data_dir.display()
        );
    }
    match sqlite {
        Some(db) if db.exists() => bail!(
            "the database {} exists: restore onto a fresh one, or add --force to replace it",
            db.display()
        ),
        Some(_) => Ok(()),
        None => match storage::inspect(url).await {
            Ok(s) if s.applied > 0 => bail!(
                "the PostgreSQL database already holds a schema (at {}): restore onto a fresh \
                 database, or add --force to replace its contents",
                s.applied
            ),
            Ok(_) => Ok(()),
            Err(e) => Err(anyhow!("cannot open the database: {e}")),
        },
    }
}

/// Removes everything in `data_dir` but `keep` (`--force`).
fn clear(data_dir: &Path, keep: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(data_dir)? {
        let path = entry?.path();
        if path == keep {
            continue;
        }
        if path.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

fn move_file(from: &Path, to: &Path) -> anyhow::Result<()> {
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    // Another file system (a database outside the data directory): copy, then remove.
    if from.is_dir() {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            move_file(&entry.path(), &to.join(entry.file_name()))?;
        }
        std::fs::remove_dir_all(from)?;
    } else {
        std::fs::copy(from, to).with_context(|| format!("cannot write {}", to.display()))?;
        std::fs::remove_file(from)?;
    }
    Ok(())
}

/// `pg_restore` of a `pg_dump --format=custom` file into the database.
fn pg_restore(url: &str, dump: &Path, force: bool) -> anyhow::Result<()> {
    let mut cmd = Command::new("pg_restore");
    cmd.args(["--no-owner", "--no-privileges", "--exit-on-error"]);
    if force {
        cmd.args(["--clean", "--if-exists"]);
    }
    let run = cmd.arg("--dbname").arg(url).arg(dump).output();
    match run {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(anyhow!(
            "pg_restore is not installed: install the PostgreSQL client, or restore by hand: \
             take database/entraide.pgdump out of the archive (tar xzf) and run `pg_restore \
             --no-owner --no-privileges --dbname <database URL> entraide.pgdump` \
             (docs/admin.md, Backups)"
        )),
        Err(e) => Err(anyhow!("cannot run pg_restore: {e}")),
        Ok(o) if !o.status.success() => Err(anyhow!(
            "pg_restore failed ({}): {}",
            o.status,
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Ok(_) => Ok(()),
    }
}
