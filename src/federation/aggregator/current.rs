//! `/relay/current`: what this node publishes now (its public missions not over, its
//! resources), newest change first, as an `OrderedCollection` whose pages
//! (`?page=1`, `?page=2`… `OrderedCollectionPage`, linked by `next`/`prev`) embed the objects,
//! so an aggregator backfills a node in one request per page and stops reconciling at the
//! first item it already has.

use super::super::{
    error::FedError, objects::mission_document, resources::resource_document, routes::ap_json,
};
use crate::state::Context;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

/// Items per page (a page of full missions stays well under the 1 MiB a fetch reads).
pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub page: Option<String>,
}

/// `GET /relay/current[?page=N]`.
pub async fn current(ctx: &Context, page: Option<&str>) -> Response {
    let result = match page {
        None => collection(ctx).await,
        Some(n) => match n.parse::<i64>() {
            Ok(n) if n >= 1 => one_page(ctx, n).await,
            _ => Err(FedError::BadRequest(format!(
                "page is a number from 1, got {n:?}"
            ))),
        },
    };
    result
        .map(ap_json)
        .unwrap_or_else(IntoResponse::into_response)
}

fn id(ctx: &Context) -> String {
    format!("{}/relay/current", ctx.config.base())
}

async fn collection(ctx: &Context) -> Result<Value, FedError> {
    let total = ctx.store.count_current_items(ctx.clock.now()).await?;
    Ok(json!({
        "id": id(ctx),
        "type": "OrderedCollection",
        "totalItems": total,
        "first": format!("{}?page=1", id(ctx)),
        "last": format!("{}?page={}", id(ctx), ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1)),
    }))
}

async fn one_page(ctx: &Context, n: i64) -> Result<Value, FedError> {
    let now = ctx.clock.now();
    let items = ctx
        .store
        .list_current_items(now, PAGE_SIZE + 1, (n - 1).saturating_mul(PAGE_SIZE))
        .await?;
    let more = items.len() as i64 > PAGE_SIZE;
    let mut objects = Vec::new();
    for item in items.iter().take(PAGE_SIZE as usize) {
        let doc = if item.kind == "mission" {
            let m = ctx.store.get_mission(item.id).await?;
            serde_json::to_value(mission_document(&m, ctx).await?)
        } else {
            let r = ctx.store.get_resource(item.id).await?;
            serde_json::to_value(resource_document(ctx, &r).await?)
        };
        objects.push(doc.map_err(|e| FedError::Internal(e.to_string()))?);
    }
    let mut page = json!({
        "id": format!("{}?page={n}", id(ctx)),
        "type": "OrderedCollectionPage",
        "partOf": id(ctx),
        "orderedItems": objects,
    });
    if more {
        page["next"] = json!(format!("{}?page={}", id(ctx), n + 1));
    }
    if n > 1 {
        page["prev"] = json!(format!("{}?page={}", id(ctx), n - 1));
    }
    Ok(page)
}
