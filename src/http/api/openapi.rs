//! The OpenAPI 3.1 document of the JSON API (`GET /api/v1/openapi.json`), derived by utoipa
//! from the handlers' `#[utoipa::path]` annotations and the request and response types
//! (`ToSchema`); nothing in it is written by hand apart from the list of handlers below, which
//! the tests compare with the real router in both directions.

use super::{
    accounts, associations, calendar, follows, help, hours, hours_documents, interests, missions,
    moderation, places, privacy, resources, search, slots, sms, sources, statistics, tokens,
    volunteers,
};
use crate::http::web::{calendar as web_calendar, equipment::bookings};
use axum::Json;
use utoipa::{
    openapi::{
        path::{Operation, ParameterIn},
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
        Content, Info, License, OpenApi as Document, Ref, RefOr, Response, Server,
    },
    Modify, OpenApi,
};

#[derive(OpenApi)]
#[openapi(
    paths(
        missions::list_associations,
        missions::get_association,
        missions::list_association_missions,
        missions::create_mission,
        missions::list_missions,
        missions::get_mission,
        missions::update_mission,
        missions::delete_mission,
        follows::list_follows,
        follows::follow,
        follows::unfollow,
        accounts::me,
        accounts::update_me,
        accounts::register,
        accounts::confirm,
        accounts::reset_request,
        accounts::reset_confirm,
        accounts::change_password,
        accounts::change_email,
        accounts::resend,
        accounts::list_accounts,
        accounts::approve,
        accounts::refuse,
        follows::queue,
        slots::list_slots,
        slots::add_slots,
        slots::get_slot,
        slots::update_slot,
        slots::cancel_slot,
        slots::list_participations,
        slots::sign_up,
        slots::sign_up_guest,
        slots::message_participants,
        slots::accept,
        slots::reject,
        slots::withdraw,
        slots::my_participations,
        calendar::show,
        calendar::regenerate,
        web_calendar::association_feed,
        web_calendar::volunteer_feed,
        volunteers::get_profile,
        volunteers::put_profile,
        volunteers::my_matches,
        interests::list,
        volunteers::suggestions,
        hours::list_mine,
        hours::log_mine,
        hours::get_one,
        hours::update,
        hours::delete,
        hours::history,
        hours::validate,
        hours::refuse,
        hours::list_association,
        hours::record_for,
        hours::get_settings,
        hours::put_settings,
        hours::totals,
        hours::export_csv,
        hours::attendance,
        hours_documents::statement_pdf,
        hours_documents::statement_ods,
        hours_documents::export_ods,
        hours_documents::my_csv,
        hours_documents::my_attestations,
        hours_documents::ask,
        hours_documents::association_attestations,
        hours_documents::confirm,
        hours_documents::attestation_pdf,
        resources::search,
        resources::list,
        resources::create,
        resources::reservations::association_reservations,
        resources::one,
        resources::update,
        resources::remove,
        resources::availability,
        resources::reservations::resource_reservations,
        resources::reservations::reserve,
        resources::reservations::reservation,
        resources::reservations::agreement,
        resources::reservations::agreement_pdf,
        resources::files,
        resources::upload,
        resources::remove_file,
        bookings::feed,
        resources::reservations::act,
        tokens::log_in,
        tokens::list,
        tokens::revoke,
        privacy::export,
        privacy::delete_me,
        associations::request,
        associations::pending,
        associations::approve,
        associations::refuse,
        associations::update_association,
        associations::invite,
        associations::list_invitations,
        associations::revoke_invitation,
        associations::accept_invitation,
        associations::put_picture,
        associations::delete_picture,
        search::search_all,
        search::search_events,
        sources::list,
        sources::add,
        sources::remove,
        moderation::list_rules,
        moderation::add_rule,
        moderation::lift_rule,
        sms::my_phone,
        sms::set_phone,
        sms::confirm,
        sms::choices,
        sms::stop,
        sms::inbound,
        sms::set_cap,
        sms::preview,
        sms::send,
        sms::send_node,
        sms::log,
        moderation::list_reports,
        moderation::resolve_report,
        moderation::forward_report,
        moderation::list_removed,
        moderation::remove_item,
        moderation::restore_item,
        moderation::moderation_log,
        moderation::make_report,
        help::list_requests,
        help::get_request,
        help::move_request,
        help::add_note,
        help::propose,
        places::complete,
        statistics::node,
        statistics::territory,
    ),
    modifiers(&Preamble, &Rejections)
)]
struct ApiDoc;

/// What the annotations cannot say: the node's version and licence, where the API lives, and
/// how a client proves who it is (the `bearer` scheme the operations name).
struct Preamble;

impl Modify for Preamble {
    fn modify(&self, doc: &mut Document) {
        let mut info = Info::new("Entraide API", env!("CARGO_PKG_VERSION"));
        info.description = Some(
            "Missions of associations, federated over ActivityPub. Write calls need \
             `Authorization: Bearer <token>`: an app gets one with `POST /api/v1/auth/token` \
             (name or email and password), an operator with `entraide admin create-token`."
                .into(),
        );
        let mut license = License::new("AGPL-3.0-or-later");
        license.identifier = Some("AGPL-3.0-or-later".into());
        info.license = Some(license);
        doc.info = info;
        doc.servers = Some(vec![Server::new("/")]);
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// What is answered before a handler runs, on every API operation it applies to (found by
/// schemathesis, `tests/schemathesis.rs`), always the JSON error: a path parameter of the wrong
/// kind 404 and a query parameter that cannot be read 400 (`http::params`); a JSON body that is
/// not JSON 400, one not sent as `application/json` 415, one without the expected fields 422
/// (`api::json`).
struct Rejections;

impl Modify for Rejections {
    fn modify(&self, doc: &mut Document) {
        for (path, item) in doc.paths.paths.iter_mut() {
            if !path.starts_with("/api/") {
                continue;
            }
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                add_rejections(op);
            }
        }
    }
}

fn add_rejections(op: &mut Operation) {
    let takes = |place: ParameterIn| {
        op.parameters.iter().flatten().any(|p| match p {
            RefOr::T(p) => p.parameter_in == place,
            RefOr::Ref(_) => false,
        })
    };
    let (in_path, in_query) = (takes(ParameterIn::Path), takes(ParameterIn::Query));
    let json_body = op.request_body.as_ref().is_some_and(|b| match b {
        RefOr::T(body) => body.content.contains_key("application/json"),
        RefOr::Ref(_) => false,
    });
    let responses = &mut op.responses.responses;
    let mut ensure = |status: &str, description: &str| {
        responses.entry(status.to_string()).or_insert_with(|| {
            let mut response = Response::new(description);
            response.content.insert(
                "application/json".to_string(),
                RefOr::T(Content::new(Some(Ref::from_schema_name("Error")))),
            );
            RefOr::T(response)
        });
    };
    if in_path {
        ensure(
            "404",
            "nothing at this address (or a path parameter of the wrong kind)",
        );
    }
    if in_query {
        ensure("400", "a query parameter cannot be read");
    }
    if json_body {
        ensure("400", "the body is not JSON");
        ensure("415", "the body is not sent as application/json");
        ensure("422", "the JSON does not have the expected fields");
    }
}

/// The document, as served.
pub fn document() -> Document {
    ApiDoc::openapi()
}

pub async fn spec() -> Json<Document> {
    Json(document())
}
