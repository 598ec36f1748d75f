//! Files handed out by the API and the pages alike: the document's media type, and
//! `Content-Disposition: attachment` with its name.

use crate::documents::Document;
use axum::{
    http::header,
    response::{IntoResponse, Response},
};

pub fn download(doc: Document) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", doc.filename);
    (
        [
            (header::CONTENT_TYPE, doc.content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        doc.bytes,
    )
        .into_response()
}
