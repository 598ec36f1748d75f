//! Files handed out by the API and the pages alike: the document's media type, and
//! `Content-Disposition: attachment` with its name.

use crate::documents::Document;
use axum::{
    http::header,
    response::{IntoResponse, Response},
};

/// A document answers as a download.
impl IntoResponse for Document {
    fn into_response(self) -> Response {
        download(self)
    }
}

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

/// A file written while it is sent (no `Content-Length`; `pieces` in order). An error in the
/// middle is logged and cuts the connection, so a client never takes half a file for a whole
/// one (the status was sent with the first piece).
pub fn download_stream(
    filename: &str,
    content_type: &'static str,
    pieces: crate::service::hours::CsvPieces,
) -> Response {
    use futures::TryStreamExt;
    let disposition = format!("attachment; filename=\"{filename}\"");
    let pieces = pieces.inspect_err(|e| tracing::error!(error = %e, "an export stopped"));
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        axum::body::Body::from_stream(pieces),
    )
        .into_response()
}
