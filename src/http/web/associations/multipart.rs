//! A form sent as `multipart/form-data` (a logo or a picture with text fields), read whole:
//! its text fields (a field sent several times, as ticked checkboxes, keeps each value) and
//! its files. The CSRF token is among the fields; the handler checks it once all is read.

use crate::domain::{association::AssociationDetails, FieldError, FieldErrors};
use axum::extract::Multipart;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub(super) struct Sent {
    fields: Vec<(String, String)>,
    files: HashMap<String, Vec<u8>>,
}

/// Why the form could not be read: too large, or cut short.
pub(super) struct TooLarge;

impl TooLarge {
    /// What the form says of it, under the file's field.
    pub(super) fn errors(field: &str) -> FieldErrors {
        let mut e = FieldErrors::new();
        e.add(field, FieldError::new("file_too_big").num("mb", 10));
        e
    }
}

impl Sent {
    pub(super) async fn read(mut multipart: Multipart) -> Result<Sent, TooLarge> {
        let mut sent = Sent::default();
        loop {
            match multipart.next_field().await {
                Ok(Some(field)) => {
                    let name = field.name().unwrap_or_default().to_string();
                    let is_file = field.file_name().is_some();
                    let bytes = field.bytes().await.map_err(|_| TooLarge)?;
                    if is_file {
                        sent.files.insert(name, bytes.to_vec());
                    } else {
                        sent.fields
                            .push((name, String::from_utf8_lossy(&bytes).to_string()));
                    }
                }
                Ok(None) => return Ok(sent),
                Err(_) => return Err(TooLarge),
            }
        }
    }

    /// The first value of a text field ("" when absent).
    pub(super) fn text(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value of a field sent several times.
    pub(super) fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|(k, _)| k == name)
    }

    /// An association's details (address, contact, website, fields of action) as sent.
    pub(super) fn details(&self) -> AssociationDetails {
        AssociationDetails {
            address: self.text("address"),
            email: self.text("email"),
            phone: self.text("phone"),
            website: self.text("website"),
            categories: self.all("categories"),
        }
    }

    /// A file's bytes, when one was chosen (an empty file input sends nothing useful).
    pub(super) fn file(&self, name: &str) -> Option<&[u8]> {
        self.files
            .get(name)
            .map(Vec::as_slice)
            .filter(|b| !b.is_empty())
    }
}
