//! What operating needs of the store (`OperatingStore`): the schema version, and a copy of an
//! SQLite database taken while it is open.

use entraide::storage::{latest_migration, Store};

on_both_backends!(schema_version_and_copy);

async fn schema_version_and_copy(s: &dyn Store) {
    let version = s.schema_version().await.unwrap();
    assert_eq!(version, latest_migration(s.backend()));
    assert!(version > 20);
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.sqlite");
    let copied = s.copy_database_into(&copy).await.unwrap();
    match s.backend() {
        "sqlite" => {
            assert!(copied);
            let status = entraide::storage::inspect(&format!("sqlite://{}", copy.display()))
                .await
                .unwrap();
            assert_eq!((status.applied, status.latest), (version, version));
            // Never over an existing file.
            assert!(s.copy_database_into(&copy).await.is_err());
        }
        _ => assert!(!copied && !copy.exists()),
    }
}
