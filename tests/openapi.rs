//! The OpenAPI document (`/api/v1/openapi.json`) against the node itself: every `/api/v1` route
//! of the real router is documented and every documented operation is routed; the document is
//! OpenAPI 3 with every `$ref` resolving; operations answer with statuses they document; and
//! real responses have the shape their documented schema gives.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{header, Method, StatusCode};
use common::{Resp, TestApp};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The served document.
async fn document(t: &TestApp) -> Value {
    let res = t.get("/api/v1/openapi.json").await;
    res.expect(200);
    assert!(
        res.content_type().starts_with("application/json"),
        "{}",
        res.content_type()
    );
    res.json()
}

/// `{name}` and `{id}` segments made concrete.
fn concrete(pattern: &str, value: &str) -> String {
    pattern
        .split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                value.to_string()
            } else {
                s.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The path patterns the router holds under `/api/v1`, read from the router itself: axum keeps
/// no public list of its routes, but its `Debug` output names every path it was given.
fn routed_paths(t: &TestApp) -> BTreeSet<String> {
    let dump = format!("{:?}", t.router);
    dump.split('"')
        .filter(|s| s.starts_with("/api/v1/"))
        .map(str::to_string)
        .collect()
}

/// The methods the router serves on a path: a method no route uses (TRACE) answers 405 with
/// the `Allow` header the router builds from the routes it holds.
async fn routed_methods(t: &TestApp, pattern: &str) -> BTreeSet<String> {
    let res = t
        .api(Method::TRACE, &concrete(pattern, "1"), None, None)
        .await;
    assert_eq!(
        res.status,
        StatusCode::METHOD_NOT_ALLOWED,
        "TRACE {pattern}: {}",
        res.text()
    );
    let allow = res
        .headers
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("{pattern}: 405 without Allow"));
    allow
        .split(',')
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| METHODS.contains(&m.as_str()))
        .collect()
}

/// `(METHOD path)` of every documented operation under `/api/v1`.
fn documented_operations(doc: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        for m in METHODS {
            if item.get(m).is_some() {
                out.insert(format!("{} {path}", m.to_uppercase()));
            }
        }
    }
    out
}

#[tokio::test]
async fn every_routed_api_operation_is_documented_and_every_documented_one_routed() {
    let t = TestApp::new().await;
    let doc = document(&t).await;

    let paths = routed_paths(&t);
    // The router's Debug output still names paths (a newer axum could stop doing so).
    assert!(paths.contains("/api/v1/missions"), "{paths:?}");
    let mut routed = BTreeSet::new();
    for p in &paths {
        for m in routed_methods(&t, p).await {
            routed.insert(format!("{} {p}", m.to_uppercase()));
        }
    }
    // The document describes the API, not itself.
    routed.remove("GET /api/v1/openapi.json");
    let documented = documented_operations(&doc);

    let undocumented: Vec<_> = routed.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(
        undocumented.is_empty() && unrouted.is_empty(),
        "routed but not documented: {undocumented:#?}\ndocumented but not routed: {unrouted:#?}"
    );
    assert!(documented.len() > 70, "{}", documented.len());
}

#[test]
fn the_documented_mission_limits_are_the_checked_ones() {
    use entraide::domain::mission::{MAX_CAPACITY, MAX_DESCRIPTION, MAX_TITLE};
    use utoipa::PartialSchema;
    let schema = serde_json::to_value(entraide::domain::mission::MissionInput::schema()).unwrap();
    let field = |name: &str| schema["properties"][name].clone();
    assert_eq!(field("title")["maxLength"], json!(MAX_TITLE));
    assert_eq!(field("description")["maxLength"], json!(MAX_DESCRIPTION));
    assert_eq!(field("capacity")["maximum"], json!(MAX_CAPACITY));
}

/// Follows every local `$ref`; panics when one leads nowhere.
fn check_refs(doc: &Value, v: &Value) {
    match v {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                let pointer = r
                    .strip_prefix('#')
                    .unwrap_or_else(|| panic!("non-local $ref {r}"));
                assert!(doc.pointer(pointer).is_some(), "dangling $ref {r}");
            }
            map.values().for_each(|x| check_refs(doc, x));
        }
        Value::Array(items) => items.iter().for_each(|x| check_refs(doc, x)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_is_openapi_3_and_every_ref_resolves() {
    let t = TestApp::new().await;
    let doc = document(&t).await;
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["info"]["title"], "Entraide API");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc["info"]["license"]["identifier"], "AGPL-3.0-or-later");
    check_refs(&doc, &doc);
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"],
        json!({"type": "http", "scheme": "bearer"})
    );
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    let mut ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(METHODS.contains(&method.as_str()), "{method} {path}");
            let at = format!("{method} {path}");
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{at}: no summary"
            );
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{at}: no id"));
            assert!(ids.insert(id.to_string()), "{at}: operationId {id} twice");
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{at}: no success"
            );
            for requirement in op["security"].as_array().into_iter().flatten() {
                for name in requirement.as_object().unwrap().keys() {
                    assert!(schemes.contains_key(name), "{at}: unknown scheme {name}");
                }
            }
            // Every path parameter is declared, and every declared one is in the path.
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            let in_path: BTreeSet<&str> = path.split(['{', '}']).skip(1).step_by(2).collect();
            assert_eq!(declared, in_path, "{at}: path parameters");
            // An error is always the Error object.
            for (status, r) in responses {
                if status.starts_with('4') && !path.ends_with(".ics") {
                    assert_eq!(
                        r["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/Error",
                        "{at} {status}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn every_documented_operation_answers_with_a_documented_status() {
    let t = TestApp::new().await;
    let doc = document(&t).await;
    // Without a token, or with unknown names: no router-level 404/405, and a status the
    // document lists (401 for everything that needs a token).
    for (path, item) in doc["paths"].as_object().unwrap() {
        let target = concrete(path, "999999").replace("/999999.ics", "/nope.ics");
        for (op, spec) in item.as_object().unwrap() {
            let method = Method::from_bytes(op.to_uppercase().as_bytes()).unwrap();
            let body = (method != Method::GET && method != Method::DELETE).then(|| json!({}));
            let res = t.api(method.clone(), &target, None, body.as_ref()).await;
            assert_ne!(
                res.status.as_u16(),
                405,
                "{op} {path} is documented but not routed"
            );
            assert!(!res.body.is_empty(), "{op} {path}: empty {}", res.status);
            let code = res.status.as_u16().to_string();
            assert!(
                spec["responses"].get(&code).is_some(),
                "{op} {path} answered {code}, which is not documented: {}",
                res.text()
            );
            if spec.get("security").is_some() {
                assert_eq!(code, "401", "{op} {path} is documented as needing a token");
            }
        }
    }
    // An unknown path under /api/v1 is not served.
    assert_eq!(t.get("/api/v1/nothing-here").await.status.as_u16(), 404);
}

// ---------------------------------------------------------------------------------------------
// Real responses against their documented schemas

/// The schema a `$ref` points to (or the schema itself).
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => resolve(doc, doc.pointer(&r[1..]).expect("a resolved $ref")),
        None => schema,
    }
}

fn type_fits(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

/// Where `v` departs from `schema`, or `None` when it fits: types, enums, required fields
/// present, and no field the schema does not name (a field sent but undocumented is drift).
fn misfit(doc: &Value, schema: &Value, v: &Value, at: &str) -> Option<String> {
    let schema = resolve(doc, schema);
    if let Some(all) = schema["allOf"].as_array() {
        // Flattened types: each part checks its own fields; together they name every field.
        let mut named = BTreeSet::new();
        for part in all {
            let mut part = resolve(doc, part).clone();
            if let Some(props) = part["properties"].as_object() {
                named.extend(props.keys().cloned());
            }
            part.as_object_mut()?
                .insert("additionalProperties".into(), json!(true));
            if let Some(e) = misfit(doc, &part, v, at) {
                return Some(e);
            }
        }
        let extra: Vec<_> = (v.as_object()?.keys())
            .filter(|k| !named.contains(*k))
            .collect();
        return (!extra.is_empty()).then(|| format!("{at}: undocumented fields {extra:?}"));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            let errors: Vec<String> = (options.iter())
                .filter_map(|o| misfit(doc, o, v, at))
                .collect();
            return (errors.len() == options.len())
                .then(|| format!("{at}: fits none of {key}: {errors:?}"));
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() && !types.iter().any(|t| type_fits(t, v)) {
        return Some(format!("{at}: {v} is not {types:?}"));
    }
    if let Some(values) = schema["enum"].as_array() {
        if !v.is_null() && !values.contains(v) {
            return Some(format!("{at}: {v} is not one of {values:?}"));
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), v.as_array()) {
        for (i, item) in list.iter().enumerate() {
            if let Some(e) = misfit(doc, items, item, &format!("{at}[{i}]")) {
                return Some(e);
            }
        }
    }
    if let Some(object) = v.as_object() {
        let empty = serde_json::Map::new();
        let props = schema["properties"].as_object().unwrap_or(&empty);
        for required in schema["required"].as_array().into_iter().flatten() {
            let name = required.as_str()?;
            if !object.contains_key(name) {
                return Some(format!("{at}: required field {name} missing"));
            }
        }
        for (k, value) in object {
            match props.get(k) {
                Some(p) => {
                    if let Some(e) = misfit(doc, p, value, &format!("{at}.{k}")) {
                        return Some(e);
                    }
                }
                None => match &schema["additionalProperties"] {
                    // A free-form object: the schema names no field.
                    Value::Null if schema.get("properties").is_none() => {}
                    Value::Bool(true) => {}
                    Value::Object(_) => {
                        let extra = &schema["additionalProperties"];
                        if let Some(e) = misfit(doc, extra, value, &format!("{at}.{k}")) {
                            return Some(e);
                        }
                    }
                    _ => return Some(format!("{at}: undocumented field {k}")),
                },
            }
        }
    }
    None
}

/// Asserts that a real response has the status and the shape the document gives for it.
#[track_caller]
fn conforms(doc: &Value, method: &str, path: &str, status: u16, res: &Resp) -> Value {
    res.expect(status);
    let status = status.to_string();
    let documented = &doc["paths"][path][method]["responses"][&status];
    assert!(
        documented.is_object(),
        "{method} {path} answered {status}, not documented: {}",
        res.text()
    );
    let schema = &documented["content"]["application/json"]["schema"];
    assert!(
        schema.is_object(),
        "{method} {path} {status}: no JSON schema"
    );
    let body = res.json();
    if let Some(e) = misfit(doc, schema, &body, &format!("{method} {path} {status}")) {
        panic!("{e}\nbody: {body:#}");
    }
    body
}

#[tokio::test]
async fn real_responses_have_their_documented_shape() {
    let t = TestApp::new().await;
    let doc = document(&t).await;
    let (_, alice) = t.user("alice").await;
    let (_, bob) = t.user("bob").await;
    t.association("epicerie", "alice").await;
    t.association("fete", "alice").await;
    let a = Some(alice.as_str());
    let b = Some(bob.as_str());
    // Dates relative to today, so the test never depends on the year.
    let day = |offset: i64| (t.now() + chrono::Duration::days(offset)).date_naive();

    let res = t.get("/api/v1/associations").await;
    conforms(&doc, "get", "/api/v1/associations", 200, &res);
    let res = t.get("/api/v1/associations/epicerie").await;
    let association = conforms(&doc, "get", "/api/v1/associations/{name}", 200, &res);
    assert!(association["followers_count"].is_i64());

    let body = json!({
        "title": "Distribution du samedi", "locality": "Brest", "latitude": 48.39, "longitude": -4.49,
        "skills": ["cuisine"], "category": "solidarity", "join_mode": "free",
        "start_time": format!("{}T08:00", day(10)), "end_time": format!("{}T20:00", day(40)),
    });
    let missions = "/api/v1/associations/epicerie/missions";
    let res = t.api(Method::POST, missions, a, Some(&body)).await;
    let mission = conforms(
        &doc,
        "post",
        "/api/v1/associations/{name}/missions",
        201,
        &res,
    );
    // Fields the schema marks required are really sent.
    let required = &doc["components"]["schemas"]["Mission"]["required"];
    assert!(required
        .as_array()
        .is_some_and(|r| r.contains(&json!("remaining"))));
    let res = t.get("/api/v1/missions").await;
    conforms(&doc, "get", "/api/v1/missions", 200, &res);
    let res = t.get(&format!("/api/v1/missions/{}", mission["id"])).await;
    conforms(&doc, "get", "/api/v1/missions/{id}", 200, &res);

    let slots = format!("/api/v1/missions/{}/slots", mission["id"]);
    let body = json!({"slots": [{"start_time": format!("{}T09:00", day(12)),
        "end_time": format!("{}T12:00", day(12)), "capacity": 3}]});
    let res = t.api(Method::POST, &slots, a, Some(&body)).await;
    let added = conforms(&doc, "post", "/api/v1/missions/{id}/slots", 201, &res);
    let slot = &added["slots"][0];
    let sign_up = format!("/api/v1/slots/{}/participations", slot["id"]);
    let res = t.api(Method::POST, &sign_up, b, None).await;
    conforms(&doc, "post", "/api/v1/slots/{id}/participations", 201, &res);
    let guests = format!("/api/v1/slots/{}/guests", slot["id"]);
    let guest = json!({"name": "Yves", "contact": "06 12 34 56 78"});
    let res = t.api(Method::POST, &guests, a, Some(&guest)).await;
    conforms(&doc, "post", "/api/v1/slots/{id}/guests", 201, &res);
    let res = t.api(Method::GET, &sign_up, a, None).await;
    conforms(&doc, "get", "/api/v1/slots/{id}/participations", 200, &res);
    let res = t
        .api(Method::GET, "/api/v1/me/participations", b, None)
        .await;
    conforms(&doc, "get", "/api/v1/me/participations", 200, &res);
    // Asking again is refused with the documented error object.
    let res = t.api(Method::POST, &sign_up, b, None).await;
    let refused = conforms(&doc, "post", "/api/v1/slots/{id}/participations", 409, &res);
    assert_eq!(refused["error"], "already_signed_up");

    let res = t.api(Method::GET, "/api/v1/me", a, None).await;
    conforms(&doc, "get", "/api/v1/me", 200, &res);
    let res = t
        .api(Method::GET, "/api/v1/me/calendar-token", b, None)
        .await;
    conforms(&doc, "get", "/api/v1/me/calendar-token", 200, &res);
    let profile = json!({"skills": ["cuisine"], "availability": [{"day": 5, "part": "morning"}],
        "home_town": "Brest", "interests": ["solidarity"], "suggestable": true});
    let res = t
        .api(Method::PUT, "/api/v1/me/profile", b, Some(&profile))
        .await;
    conforms(&doc, "put", "/api/v1/me/profile", 200, &res);
    let res = t.api(Method::GET, "/api/v1/me/matches", b, None).await;
    conforms(&doc, "get", "/api/v1/me/matches", 200, &res);
    let suggestions = format!("/api/v1/missions/{}/suggestions", mission["id"]);
    let res = t.api(Method::GET, &suggestions, a, None).await;
    conforms(&doc, "get", "/api/v1/missions/{id}/suggestions", 200, &res);

    // Hours: an invalid entry answers the Error object with a message per field.
    let bad = json!({"date": "nope", "minutes": 0});
    let res = t
        .api(
            Method::POST,
            "/api/v1/associations/epicerie/hours",
            a,
            Some(&bad),
        )
        .await;
    let invalid = conforms(&doc, "post", "/api/v1/associations/{name}/hours", 422, &res);
    assert!(invalid["fields"].is_object(), "{invalid}");
    let entry = json!({"guest_name": "Yves", "date": day(-2).to_string(), "minutes": 90,
        "distance_km": "12.5", "category": "solidarity"});
    let res = t
        .api(
            Method::POST,
            "/api/v1/associations/epicerie/hours",
            a,
            Some(&entry),
        )
        .await;
    let entry = conforms(&doc, "post", "/api/v1/associations/{name}/hours", 201, &res);
    let res = t
        .api(
            Method::GET,
            &format!("/api/v1/hours/{}/history", entry["id"]),
            a,
            None,
        )
        .await;
    conforms(&doc, "get", "/api/v1/hours/{id}/history", 200, &res);
    let totals = "/api/v1/associations/epicerie/hours/totals";
    let res = t.api(Method::GET, totals, a, None).await;
    conforms(
        &doc,
        "get",
        "/api/v1/associations/{name}/hours/totals",
        200,
        &res,
    );
    let settings = "/api/v1/associations/epicerie/hours/settings";
    let res = t.api(Method::GET, settings, a, None).await;
    conforms(
        &doc,
        "get",
        "/api/v1/associations/{name}/hours/settings",
        200,
        &res,
    );

    // Equipment: a resource, then a reservation decided at once.
    let chairs = json!({"name": "Chaises pliantes", "quantity": 80, "approval": "automatic",
        "deposit": "150", "category": "furniture"});
    let resources = "/api/v1/associations/epicerie/resources";
    let res = t.api(Method::POST, resources, a, Some(&chairs)).await;
    let chairs = conforms(
        &doc,
        "post",
        "/api/v1/associations/{name}/resources",
        201,
        &res,
    );
    let res = t.get("/api/v1/resources?q=chaises").await;
    conforms(&doc, "get", "/api/v1/resources", 200, &res);
    let res = t
        .get(&format!("/api/v1/resources/{}/availability", chairs["id"]))
        .await;
    conforms(
        &doc,
        "get",
        "/api/v1/resources/{id}/availability",
        200,
        &res,
    );
    let ask = json!({"borrower": "fete", "quantity": 10,
        "start": format!("{}T09:00:00Z", day(20)), "end": format!("{}T18:00:00Z", day(21))});
    let reserve = format!("/api/v1/resources/{}/reservations", chairs["id"]);
    let res = t.api(Method::POST, &reserve, a, Some(&ask)).await;
    let reservation = conforms(
        &doc,
        "post",
        "/api/v1/resources/{id}/reservations",
        201,
        &res,
    );
    let res = t
        .api(
            Method::GET,
            &format!("/api/v1/reservations/{}", reservation["id"]),
            a,
            None,
        )
        .await;
    conforms(&doc, "get", "/api/v1/reservations/{id}", 200, &res);
    let agreement = format!("/api/v1/reservations/{}/agreement", reservation["id"]);
    let res = t.api(Method::GET, &agreement, a, None).await;
    conforms(
        &doc,
        "get",
        "/api/v1/reservations/{id}/agreement",
        200,
        &res,
    );
}

/// Every operation that asks for a token documents the 401 it answers without one, with the
/// error body (the shared `NoToken` response), and 422s carry the same body.
#[tokio::test]
async fn operations_with_a_token_document_their_401_with_the_error_body() {
    let t = TestApp::new().await;
    let doc = document(&t).await;
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in METHODS {
            let Some(op) = item.get(m) else { continue };
            let wants_token = op["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
            for status in ["401", "422"] {
                let Some(r) = op["responses"].get(status) else {
                    assert!(
                        status != "401" || !wants_token,
                        "{m} {path} asks for a token but documents no 401"
                    );
                    continue;
                };
                let schema = &r["content"]["application/json"]["schema"]["$ref"];
                assert_eq!(
                    schema, "#/components/schemas/Error",
                    "{m} {path} {status}: {r}"
                );
                assert!(!r["description"].as_str().unwrap_or("").is_empty());
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "{checked}");
}

/// A path parameter of the wrong kind is a 404 and a query parameter that cannot be read a
/// 400, both the API's JSON error, on every API route (some once answered axum's plain text).
#[tokio::test]
async fn an_unreadable_parameter_is_a_json_error() {
    let t = TestApp::new().await;
    let (_, token) = t.user("lea").await;
    for (path, status) in [
        ("/api/v1/slots/not-a-number", 404),
        ("/api/v1/admin/moderation/rules/9223372036854775808", 404),
        ("/api/v1/associations/a/invitations/x", 404),
        ("/api/v1/admin/moderation/reports?all=maybe", 400),
        ("/api/v1/missions?limit=many", 400),
    ] {
        let method = if path.contains("/rules/") || path.contains("/invitations/") {
            Method::DELETE
        } else {
            Method::GET
        };
        let res = t.api(method, path, Some(&token), None).await;
        assert_eq!(res.status.as_u16(), status, "{path}: {}", res.text());
        assert!(res.content_type().starts_with("application/json"), "{path}");
        assert!(res.json()["message"].as_str().is_some(), "{path}");
    }
}

/// Every documented request body is a JSON object: a list in its place is refused (422), not
/// read field by field in order (serde reads a struct from a sequence too, so `["Ann"]` once
/// set the first field, which no document says; found by schemathesis).
#[tokio::test]
async fn a_list_in_place_of_a_json_object_is_refused() {
    let t = TestApp::new().await;
    let (_, token) = t.user("lea").await;
    for body in ["[\"Anne Onyme\", \"Anne\", \"en\"]", " [null, null]", "[]"] {
        let res = t
            .raw(
                Method::PATCH,
                "/api/v1/me",
                Some(&token),
                Some("application/json"),
                body,
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            res.text()
        );
        assert_eq!(res.json()["error"], "validation_failed", "{body}");
    }
    let me = t.api(Method::GET, "/api/v1/me", Some(&token), None).await;
    me.expect(200);
    assert_ne!(me.json()["full_name"], "Anne Onyme");
    // An object still works, and a body that is not JSON is still a 400.
    let res = t
        .raw(
            Method::PATCH,
            "/api/v1/me",
            Some(&token),
            Some("application/json"),
            "{\"full_name\": \"Anne Onyme\"}",
        )
        .await;
    res.expect(200);
    let res = t
        .raw(
            Method::PATCH,
            "/api/v1/me",
            Some(&token),
            Some("application/json"),
            "[",
        )
        .await;
    res.expect(400);
    assert_eq!(res.json()["error"], "invalid_json");
}
