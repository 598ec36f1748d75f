//! The OpenAPI 3.1 description of the JSON API, written by hand next to the handlers.

use axum::Json;
use serde_json::{json, Value};

fn error_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

pub fn document() -> Value {
    let mission_ref = json!({"$ref": "#/components/schemas/Mission"});
    let missions = json!({"type": "object", "properties": {"missions": {"type": "array", "items": mission_ref}}});
    let list_params = json!([
        {"name": "origin", "in": "query", "schema": {"type": "string", "enum": ["all", "local", "remote"]}, "description": "ours, from other nodes, or both"},
        {"name": "past", "in": "query", "schema": {"type": "boolean"}, "description": "include missions that are over"},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}}
    ]);
    let name_param =
        json!({"name": "name", "in": "path", "required": true, "schema": {"type": "string"}});
    let id_param =
        json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let input = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/MissionInput"}}}, "required": true});
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "Entraide API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Missions of associations, federated over ActivityPub. Write calls need `Authorization: Bearer <token>` (see `entraide admin create-token`).",
                 "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}},
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error", "message"], "properties": {
                    "error": {"type": "string", "description": "machine-readable code"},
                    "message": {"type": "string", "description": "what went wrong, for people"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}, "description": "a message per invalid field (422)"}}},
                "Association": {"type": "object", "properties": {
                    "name": {"type": "string"}, "handle": {"type": "string"}, "display_name": {"type": "string"},
                    "summary": {"type": "string"}, "ap_id": {"type": "string", "format": "uri"}, "local": {"type": "boolean"},
                    "url": {"type": "string"}, "followers_count": {"type": "integer"}}},
                "Place": {"type": "object", "properties": {
                    "name": {"type": "string"}, "street_address": {"type": "string"}, "postal_code": {"type": "string"},
                    "locality": {"type": "string"}, "country": {"type": "string"},
                    "latitude": {"type": ["number", "null"]}, "longitude": {"type": ["number", "null"]}}},
                "Mission": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "ap_id": {"type": "string", "format": "uri"}, "url": {"type": "string"},
                    "local": {"type": "boolean"}, "association": {"$ref": "#/components/schemas/Association"},
                    "title": {"type": "string"}, "description": {"type": "string", "description": "Markdown"},
                    "content_html": {"type": "string"}, "summary": {"type": "string", "description": "date · place · places left"},
                    "category": {"type": "string"}, "skills": {"type": "array", "items": {"type": "string"}},
                    "place": {"$ref": "#/components/schemas/Place"}, "online": {"type": "boolean"},
                    "start_time": {"type": "string", "format": "date-time"}, "end_time": {"type": "string", "format": "date-time"},
                    "capacity": {"type": ["integer", "null"]}, "participant_count": {"type": "integer"},
                    "remaining": {"type": ["integer", "null"]}, "join_mode": {"type": "string", "enum": ["free", "restricted"]},
                    "status": {"type": "string", "enum": ["published", "cancelled"]},
                    "published": {"type": "string", "format": "date-time"}, "updated": {"type": "string", "format": "date-time"}}},
                "MissionInput": {"type": "object", "additionalProperties": false, "properties": {
                    "title": {"type": "string", "minLength": 3, "maxLength": 140},
                    "description": {"type": "string", "maxLength": 20000, "description": "Markdown"},
                    "category": {"type": "string", "enum": ["solidarity", "environment", "culture", "sport", "education", "health", "support", "community", "emergency", "other"]},
                    "skills": {"type": "array", "items": {"type": "string", "maxLength": 60}, "maxItems": 20},
                    "place_name": {"type": "string"}, "street_address": {"type": "string"}, "postal_code": {"type": "string"},
                    "locality": {"type": "string", "description": "required unless online"},
                    "latitude": {"type": "number", "minimum": -90, "maximum": 90}, "longitude": {"type": "number", "minimum": -180, "maximum": 180},
                    "online": {"type": "boolean"},
                    "start_time": {"type": "string", "description": "RFC 3339, or local time 2026-06-14T09:00 in the node's time zone"},
                    "end_time": {"type": "string", "description": "after start_time"},
                    "capacity": {"type": "integer", "minimum": 1, "maximum": 10000},
                    "join_mode": {"type": "string", "enum": ["free", "restricted"]},
                    "status": {"type": "string", "enum": ["published", "cancelled"]}}},
                "FollowInput": {"type": "object", "required": ["target"], "additionalProperties": false, "properties": {
                    "target": {"type": "string", "description": "@name@host, an actor URL, or a server URL (follows its relay)"},
                    "association": {"type": "string", "description": "follow as this association"}}},
                "QueueStats": {"type": "object", "properties": {"pending": {"type": "integer"}, "delivered": {"type": "integer"}, "failed": {"type": "integer"}}},
                "Slot": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "ap_id": {"type": "string", "format": "uri"}, "mission_id": {"type": "integer"},
                    "local": {"type": "boolean"}, "start_time": {"type": "string", "format": "date-time"},
                    "end_time": {"type": "string", "format": "date-time"}, "capacity": {"type": "integer"},
                    "participant_count": {"type": "integer"}, "remaining": {"type": "integer"},
                    "status": {"type": "string", "enum": ["open", "cancelled"]}}},
                "SlotInput": {"type": "object", "additionalProperties": false, "properties": {
                    "start_time": {"type": "string"}, "end_time": {"type": "string"}, "capacity": {"type": "integer", "minimum": 1}}},
                "SlotRule": {"type": "object", "additionalProperties": false, "description": "every given weekday between two dates, at the same hours",
                    "properties": {"from_date": {"type": "string", "format": "date"}, "to_date": {"type": "string", "format": "date"},
                        "weekdays": {"type": "array", "items": {"type": "string", "enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}},
                        "start": {"type": "string", "example": "09:00"}, "end": {"type": "string", "example": "12:00"},
                        "capacity": {"type": "integer", "minimum": 1}}},
                "NewSlots": {"type": "object", "additionalProperties": false, "properties": {
                    "slots": {"type": "array", "items": {"$ref": "#/components/schemas/SlotInput"}},
                    "rule": {"$ref": "#/components/schemas/SlotRule"}}},
                "Interest": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "actor_ap_id": {"type": "string", "format": "uri"},
                    "handle": {"type": ["string", "null"], "description": "@name@server, when the account is known"},
                    "name": {"type": ["string", "null"]}, "note_ap_id": {"type": "string", "format": "uri", "description": "the reply"},
                    "content": {"type": "string", "description": "the reply's text (plain text, at most 2000 characters)"},
                    "created_at": {"type": "string", "format": "date-time"}}},
                "Participation": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "slot_id": {"type": "integer"},
                    "participant": {"type": "object", "description": "kind user (user_id), remote (actor_ap_id) or guest (name, contact)"},
                    "status": {"type": "string", "enum": ["pending", "accepted", "rejected", "withdrawn"]},
                    "message": {"type": "string"}, "reason": {"type": "string"},
                    "created_at": {"type": "string", "format": "date-time"}, "decided_at": {"type": ["string", "null"], "format": "date-time"}}},
                "CalendarToken": {"type": "object", "properties": {
                    "feed_url": {"type": ["string", "null"], "format": "uri", "description": "shown only when just made"},
                    "created_at": {"type": "string", "format": "date-time"}, "new": {"type": "boolean"},
                    "message": {"type": "string"}}},
                "Profile": {"type": "object", "additionalProperties": false, "properties": {
                    "skills": {"type": "array", "items": {"type": "string"}},
                    "availability": {"type": "array", "items": {"type": "object", "properties": {
                        "day": {"type": "integer", "minimum": 0, "maximum": 6, "description": "0 = Monday"},
                        "part": {"type": "string", "enum": ["morning", "afternoon", "evening"]}}}},
                    "home_town": {"type": "string", "maxLength": 100, "description": "where the volunteer lives, in words"},
                    "home_latitude": {"type": ["number", "null"]}, "home_longitude": {"type": ["number", "null"]},
                    "travel_km": {"type": ["number", "null"]},
                    "interests": {"type": "array", "items": {"type": "string"}, "description": "mission categories"},
                    "suggestable": {"type": "boolean", "description": "agree to be suggested to associations"}}}
            }
        },
        "paths": {
            "/api/v1/associations": {"get": {"summary": "List the associations of this node", "responses": {
                "200": ok("associations", json!({"type": "object", "properties": {"associations": {"type": "array", "items": {"$ref": "#/components/schemas/Association"}}}}))}}},
            "/api/v1/associations/{name}": {"get": {"summary": "One association", "parameters": [name_param],
                "responses": {"200": ok("the association", json!({"$ref": "#/components/schemas/Association"})), "404": error_response("no such association")}}},
            "/api/v1/associations/{name}/missions": {
                "get": {"summary": "Upcoming missions of an association", "parameters": [name_param, list_params[0], list_params[1], list_params[2], list_params[3]],
                        "responses": {"200": ok("missions", missions.clone()), "404": error_response("no such association")}},
                "post": {"summary": "Publish a mission (coordinators)", "security": [{"bearer": []}], "parameters": [name_param], "requestBody": input,
                         "responses": {"201": ok("the mission, announced to followers", mission_ref.clone()),
                                       "400": error_response("the body is not JSON"), "401": error_response("no valid token"),
                                       "403": error_response("not a coordinator of this association"), "404": error_response("no such association"),
                                       "422": error_response("invalid fields, one message per field")}}},
            "/api/v1/missions": {"get": {"summary": "Upcoming missions, ours and from the nodes we follow", "parameters": list_params,
                "responses": {"200": ok("missions", missions), "400": error_response("bad parameter")}}},
            "/api/v1/missions/{id}": {
                "get": {"summary": "One mission", "parameters": [id_param], "responses": {"200": ok("the mission", mission_ref.clone()),
                        "404": error_response("no such mission"), "410": error_response("deleted")}},
                "patch": {"summary": "Change a mission (coordinators); sends an Update", "security": [{"bearer": []}], "parameters": [id_param], "requestBody": input,
                          "responses": {"200": ok("the mission", mission_ref), "401": error_response("no valid token"), "403": error_response("not allowed"),
                                        "404": error_response("no such local mission"), "422": error_response("invalid fields")}},
                "delete": {"summary": "Delete a mission (coordinators); sends a Delete, then its URL answers 410", "security": [{"bearer": []}], "parameters": [id_param],
                           "responses": {"204": {"description": "deleted"}, "401": error_response("no valid token"), "403": error_response("not allowed"), "404": error_response("no such local mission")}}},
            "/api/v1/follows": {
                "get": {"summary": "Whom I follow", "security": [{"bearer": []}], "responses": {"200": ok("follows", json!({"type": "object"})), "401": error_response("no valid token")}},
                "post": {"summary": "Follow a remote association, person or node", "security": [{"bearer": []}],
                         "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FollowInput"}}}},
                         "responses": {"202": ok("Follow sent", json!({"type": "object"})), "200": ok("already following", json!({"type": "object"})),
                                       "401": error_response("no valid token"), "422": error_response("cannot resolve the target"), "502": error_response("the remote server failed")}},
                "delete": {"summary": "Stop following (sends Undo{Follow})", "security": [{"bearer": []}],
                           "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FollowInput"}}}},
                           "responses": {"200": ok("follow removed", json!({"type": "object"})), "401": error_response("no valid token"),
                                         "404": error_response("not following this target")}}},
            "/api/v1/missions/{id}/slots": {
                "get": {"summary": "The time slots of a mission", "parameters": [id_param],
                        "responses": {"200": ok("slots", json!({"type": "object", "properties": {"slots": {"type": "array", "items": {"$ref": "#/components/schemas/Slot"}}}})),
                                      "404": error_response("no such mission"), "410": error_response("deleted")}},
                "post": {"summary": "Add slots, one by one or by a weekly rule (coordinators)", "security": [{"bearer": []}], "parameters": [id_param],
                         "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewSlots"}}}},
                         "responses": {"201": ok("the slots added", json!({"type": "object"})), "401": error_response("no valid token"),
                                       "403": error_response("not a coordinator"), "404": error_response("no such local mission"),
                                       "422": error_response("invalid slots, one message per field")}}},
            "/api/v1/slots/{id}": {
                "get": {"summary": "One slot with its places left", "parameters": [id_param],
                        "responses": {"200": ok("the slot", json!({"$ref": "#/components/schemas/Slot"})), "404": error_response("no such slot")}},
                "patch": {"summary": "Change a slot's times or capacity; people signed up are told (coordinators)", "security": [{"bearer": []}], "parameters": [id_param],
                          "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SlotInput"}}}},
                          "responses": {"200": ok("the slot", json!({"$ref": "#/components/schemas/Slot"})), "401": error_response("no valid token"),
                                        "403": error_response("not a coordinator"), "404": error_response("no such local slot"),
                                        "422": error_response("invalid times, or a capacity below the places taken")}},
                "delete": {"summary": "Cancel a slot; everyone signed up is told (coordinators)", "security": [{"bearer": []}], "parameters": [id_param],
                           "responses": {"200": ok("cancelled", json!({"type": "object"})), "401": error_response("no valid token"),
                                         "403": error_response("not a coordinator"), "404": error_response("no such local slot")}}},
            "/api/v1/slots/{id}/participations": {
                "get": {"summary": "Who signed up for a slot, with contacts (coordinators)", "security": [{"bearer": []}], "parameters": [id_param],
                        "responses": {"200": ok("sign-ups", json!({"type": "object"})), "401": error_response("no valid token"),
                                      "403": error_response("not a coordinator"), "404": error_response("no such local slot")}},
                "post": {"summary": "Sign up for a slot (here, or on another node: a Join is sent)", "security": [{"bearer": []}], "parameters": [id_param],
                         "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "properties": {"message": {"type": "string", "maxLength": 1000}}}}}},
                         "responses": {"201": ok("accepted at once, or pending", json!({"$ref": "#/components/schemas/Participation"})),
                                       "401": error_response("no valid token"), "404": error_response("no such slot"),
                                       "409": error_response("refused: full, overlaps another of your slots, closed, over, already signed up"),
                                       "422": error_response("invalid message")}}},
            "/api/v1/slots/{id}/guests": {"post": {"summary": "Sign up someone without an account (coordinators)", "security": [{"bearer": []}], "parameters": [id_param],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name", "contact"],
                    "properties": {"name": {"type": "string"}, "contact": {"type": "string", "description": "a phone number or an email"}}}}}},
                "responses": {"201": ok("signed up", json!({"$ref": "#/components/schemas/Participation"})), "401": error_response("no valid token"),
                              "403": error_response("not a coordinator"), "404": error_response("no such local slot"),
                              "409": error_response("refused (full, closed, over)"), "422": error_response("name and contact are required")}}},
            "/api/v1/slots/{id}/message": {"post": {"summary": "Write to everyone signed up for a slot, by email or direct message (coordinators)", "security": [{"bearer": []}], "parameters": [id_param],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "maxLength": 5000}}}}}},
                "responses": {"200": ok("how many people it reaches", json!({"type": "object", "properties": {"recipients": {"type": "integer"}}})),
                              "401": error_response("no valid token"), "403": error_response("not a coordinator"),
                              "404": error_response("no such local slot"), "422": error_response("the text is empty or too long")}}},
            "/api/v1/participations/{id}/accept": {"post": {"summary": "Accept a pending sign-up (coordinators)", "security": [{"bearer": []}], "parameters": [id_param],
                "responses": {"200": ok("accepted", json!({"$ref": "#/components/schemas/Participation"})), "401": error_response("no valid token"),
                              "403": error_response("not a coordinator"), "404": error_response("no such sign-up"),
                              "409": error_response("not pending, or no place left"), "422": error_response("invalid body")}}},
            "/api/v1/participations/{id}/reject": {"post": {"summary": "Refuse a pending sign-up, with a reason (coordinators)", "security": [{"bearer": []}], "parameters": [id_param],
                "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "properties": {"reason": {"type": "string", "maxLength": 500}}}}}},
                "responses": {"200": ok("refused", json!({"$ref": "#/components/schemas/Participation"})), "401": error_response("no valid token"),
                              "403": error_response("not a coordinator"), "404": error_response("no such sign-up"),
                              "409": error_response("not pending"), "422": error_response("invalid reason")}}},
            "/api/v1/participations/{id}": {"delete": {"summary": "Withdraw (the volunteer, or a coordinator)", "security": [{"bearer": []}], "parameters": [id_param],
                "responses": {"200": ok("withdrawn", json!({"$ref": "#/components/schemas/Participation"})), "401": error_response("no valid token"),
                              "403": error_response("not yours"), "404": error_response("no such sign-up"), "409": error_response("not active any more")}}},
            "/api/v1/me/participations": {"get": {"summary": "My sign-ups with their slots", "security": [{"bearer": []}],
                "responses": {"200": ok("sign-ups", json!({"type": "object"})), "401": error_response("no valid token")}}},
            "/api/v1/me/calendar-token": {
                "get": {"summary": "My private calendar address: made and shown the first time only (only its hash is kept)", "security": [{"bearer": []}],
                        "responses": {"200": ok("the address when just made, otherwise feed_url is null", json!({"$ref": "#/components/schemas/CalendarToken"})),
                                      "401": error_response("no valid token")}},
                "post": {"summary": "A new private calendar address; the old one stops working", "security": [{"bearer": []}],
                         "responses": {"201": ok("the new address", json!({"$ref": "#/components/schemas/CalendarToken"})),
                                       "401": error_response("no valid token")}}},
            "/g/{name}/calendar.ics": {"get": {"summary": "iCalendar feed (RFC 5545) of an association's slots, public; cancelled slots are marked CANCELLED",
                "parameters": [name_param, {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["fr", "en"]}}],
                "responses": {"200": {"description": "the calendar", "content": {"text/calendar": {"schema": {"type": "string"}}}},
                              "404": {"description": "no such association"}}}},
            "/feeds/{token}.ics": {"get": {"summary": "iCalendar feed of one volunteer's slots (accepted: CONFIRMED, waiting: TENTATIVE), here and on other nodes",
                "parameters": [{"name": "token", "in": "path", "required": true, "schema": {"type": "string"}, "description": "the secret from /api/v1/me/calendar-token"},
                               {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["fr", "en"]}}],
                "responses": {"200": {"description": "the calendar", "content": {"text/calendar": {"schema": {"type": "string"}}}},
                              "404": {"description": "unknown address"}}}},
            "/api/v1/me/profile": {
                "get": {"summary": "My volunteer profile (private unless I opt in)", "security": [{"bearer": []}],
                        "responses": {"200": ok("profile", json!({"$ref": "#/components/schemas/Profile"})), "401": error_response("no valid token")}},
                "put": {"summary": "Change my volunteer profile", "security": [{"bearer": []}],
                        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Profile"}}}},
                        "responses": {"200": ok("profile", json!({"$ref": "#/components/schemas/Profile"})), "401": error_response("no valid token"),
                                      "422": error_response("invalid fields")}}},
            "/api/v1/me/matches": {"get": {"summary": "Upcoming missions ranked for me, with the reasons", "security": [{"bearer": []}],
                "responses": {"200": ok("missions", json!({"type": "object"})), "401": error_response("no valid token")}}},
            "/api/v1/missions/{id}/interests": {"get": {"summary": "Replies from the fediverse that mention the association, kept as interest (coordinators)", "security": [{"bearer": []}], "parameters": [id_param],
                "responses": {"200": ok("interest, oldest first", json!({"type": "object", "properties": {"mission_id": {"type": "integer"}, "interests": {"type": "array", "items": {"$ref": "#/components/schemas/Interest"}}}})),
                              "401": error_response("no valid token"), "403": error_response("not a coordinator"), "404": error_response("no such local mission")}}},
            "/api/v1/missions/{id}/suggestions": {"get": {"summary": "Volunteers who opted in and fit a mission (coordinators)", "security": [{"bearer": []}], "parameters": [id_param],
                "responses": {"200": ok("volunteers", json!({"type": "object"})), "401": error_response("no valid token"),
                              "403": error_response("not a coordinator"), "404": error_response("no such local mission")}}},
            "/api/v1/me": {"get": {"summary": "The token's user and their associations", "security": [{"bearer": []}],
                "responses": {"200": ok("me", json!({"type": "object"})), "401": error_response("no valid token")}}},
            "/api/v1/admin/queue": {"get": {"summary": "Delivery queue counts (administrators)", "security": [{"bearer": []}],
                "responses": {"200": ok("counts", json!({"$ref": "#/components/schemas/QueueStats"})),
                "401": error_response("no valid token"), "403": error_response("not an administrator")}}}
        }
    });
    super::hours::openapi(&mut doc);
    super::hours_documents::openapi(&mut doc);
    super::resources::openapi(&mut doc);
    doc
}

pub async fn spec() -> Json<Value> {
    Json(document())
}
