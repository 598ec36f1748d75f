//! A volunteer's profile and the missions ranked for them; volunteers suggested for a mission.

use super::{
    schema::{self, ErrorBody},
    ApiJson,
};
use crate::http::params::Path;
use crate::{
    domain::volunteer::Profile,
    http::{api::missions::mission_view, api::slots::slot_view, auth::Caller, error::ApiResult},
    service::{actors, volunteers},
    state::AppState,
};
use axum::{routing::get, Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me/profile", get(get_profile).put(put_profile))
        .route("/api/v1/me/matches", get(my_matches))
        .route("/api/v1/missions/{id}/suggestions", get(suggestions))
}

#[utoipa::path(get, path = "/api/v1/me/profile", tag = "me",
    summary = "My volunteer profile (private unless I opt in)",
    responses(
        (status = 200, description = "profile", body = Profile),
        crate::http::api::schema::NoToken),
    security(("bearer" = [])))]
async fn get_profile(me: Caller) -> ApiResult<Json<Profile>> {
    Ok(Json(volunteers::profile(me.store(), &me.user).await?))
}

#[utoipa::path(put, path = "/api/v1/me/profile", tag = "me",
    summary = "Change my volunteer profile",
    request_body = Profile,
    responses(
        (status = 200, description = "profile", body = Profile),
        crate::http::api::schema::NoToken,
        (status = 422, description = "invalid fields", body = ErrorBody)),
    security(("bearer" = [])))]
async fn put_profile(me: Caller, ApiJson(profile): ApiJson<Profile>) -> ApiResult<Json<Profile>> {
    Ok(Json(
        volunteers::save_profile(me.store(), &me.places, &me.user, profile, me.now()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/me/matches", tag = "me",
    summary = "Upcoming missions ranked for me, with the reasons",
    responses(
        (status = 200, description = "missions", body = schema::Matches),
        crate::http::api::schema::NoToken),
    security(("bearer" = [])))]
async fn my_matches(me: Caller) -> ApiResult<Json<schema::Matches>> {
    let lang = crate::i18n::Lang::or_reference(&me.config.instance.default_language);
    let ranked = volunteers::matches(me.store(), &me.config, &me.user, me.now()).await?;
    let owners = actors::by_ids(me.store(), ranked.iter().map(|r| r.mission.actor_id)).await?;
    let mut items = Vec::with_capacity(ranked.len());
    for r in ranked {
        let owner = (owners.get(&r.mission.actor_id))
            .ok_or(crate::service::ServiceError::NotFound("actor"))?;
        // The reasons in the node's language, as the API has always given them.
        let reasons = reasons_in_words(lang, &r.fit.reasons);
        items.push(schema::MatchedMission {
            mission: mission_view(&me, &r.mission, owner),
            slot: r.slot.as_ref().map(slot_view),
            score: r.fit.score,
            why: reasons.join(" · "),
            reasons,
        });
    }
    Ok(Json(schema::Matches { matches: items }))
}

#[utoipa::path(get, path = "/api/v1/missions/{id}/suggestions", tag = "missions",
    summary = "Volunteers who opted in and fit a mission (coordinators)",
    params(("id" = i64, Path, description = "the mission's id")),
    responses(
        (status = 200, description = "volunteers", body = schema::Suggestions),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchLocalMission),
    security(("bearer" = [])))]
async fn suggestions(me: Caller, Path(id): Path<i64>) -> ApiResult<Json<schema::Suggestions>> {
    let lang = crate::i18n::Lang::or_reference(&me.config.instance.default_language);
    let list = volunteers::suggestions(me.store(), &me.config, &me.user, id, me.now()).await?;
    let suggestions = list
        .into_iter()
        .map(|s| schema::SuggestedVolunteer {
            reasons: reasons_in_words(lang, &s.fit.reasons),
            score: s.fit.score,
            name: s.name,
            skills: s.skills,
        })
        .collect();
    Ok(Json(schema::Suggestions { suggestions }))
}

/// Matching reasons in words, in the node's language (what the API has always given).
fn reasons_in_words(
    lang: crate::i18n::Lang,
    reasons: &[crate::domain::volunteer::Reason],
) -> Vec<String> {
    reasons
        .iter()
        .map(|r| crate::i18n::match_reason(lang, r, false))
        .collect()
}
