//! The owner's side: an association's equipment, the form to add or change a resource (all
//! its terms, who may borrow, the agreement's text), its photos and documents, its removal.

use super::{category_label, errors_view, owner_kind_label, words};
use crate::i18n::Lang;
use crate::{
    domain::{
        resource::{Resource, ResourceInput, OWNER_KINDS, RESOURCE_CATEGORIES},
        DomainError, FieldErrors,
    },
    http::{
        auth::MaybeUser,
        web::{
            pages::{csrf_ok, csrf_refused, error_page, managed_association, page_ctx, PageQuery},
            render, PageCtx,
        },
    },
    service::{self, ServiceError},
    state::AppState,
};
use axum::{
    extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/g/{name}/resources", get(list))
        .route("/g/{name}/resources/new", get(new_form).post(create))
        .route("/resources/{id}/edit", get(edit_form).post(update))
        .route("/resources/{id}/delete", post(delete))
        .route(
            "/resources/{id}/files",
            post(upload).layer(DefaultBodyLimit::max(service::files::MAX_BYTES + 64 * 1024)),
        )
        .route("/resources/{id}/files/{file}/delete", post(remove_file))
}

/// The form's fields, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct ResourceForm {
    name: String,
    description: String,
    category: String,
    owner_kind: String,
    place: String,
    latitude: String,
    longitude: String,
    quantity: String,
    mode: String,
    price_per_day: String,
    deposit: String,
    replacement_value: String,
    conditions: String,
    insurance_required: Option<String>,
    min_notice_hours: String,
    max_days: String,
    turnaround_hours: String,
    approval: String,
    borrowers: String,
    borrower_list: String,
    agreement_template: String,
    #[serde(skip_serializing)]
    csrf: Option<String>,
}

impl ResourceForm {
    fn of(r: &Resource) -> ResourceForm {
        let d = &r.draft;
        let money = |m: Option<rust_decimal::Decimal>| m.map(|v| v.to_string()).unwrap_or_default();
        ResourceForm {
            name: d.name.clone(),
            description: d.description.clone(),
            category: d.category.clone(),
            owner_kind: d.owner_kind.clone(),
            place: d.place.clone(),
            latitude: d.latitude.map(|v| v.to_string()).unwrap_or_default(),
            longitude: d.longitude.map(|v| v.to_string()).unwrap_or_default(),
            quantity: d.quantity.to_string(),
            mode: d.mode.as_str().into(),
            price_per_day: money(d.price_per_day),
            deposit: money(d.deposit),
            replacement_value: money(d.replacement_value),
            conditions: d.conditions.clone(),
            insurance_required: d.insurance_required.then(|| "on".into()),
            min_notice_hours: d.min_notice_hours.to_string(),
            max_days: d.max_days.to_string(),
            turnaround_hours: d.turnaround_hours.to_string(),
            approval: d.approval.as_str().into(),
            borrowers: d.borrowers.as_str().into(),
            borrower_list: d.borrower_list.join("\n"),
            agreement_template: d.agreement_template.clone(),
            csrf: None,
        }
    }

    fn blank() -> ResourceForm {
        ResourceForm {
            category: "furniture".into(),
            owner_kind: "association".into(),
            quantity: "1".into(),
            mode: "free_loan".into(),
            min_notice_hours: "48".into(),
            max_days: "7".into(),
            turnaround_hours: "0".into(),
            approval: "manual".into(),
            borrowers: "everyone".into(),
            ..ResourceForm::default()
        }
    }

    /// What the service reads; numbers that are not numbers are refused here, by field.
    fn input(&self) -> Result<ResourceInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let int = |s: &str, f: &str, errors: &mut FieldErrors| {
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            match s.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.add(f, "must be a whole number");
                    None
                }
            }
        };
        let float = |s: &str, f: &str, errors: &mut FieldErrors| {
            let s = s.trim().replace(',', ".");
            if s.is_empty() {
                return None;
            }
            match s.parse::<f64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.add(f, "is not a position on Earth");
                    None
                }
            }
        };
        let money = |s: &str| Some(serde_json::Value::String(s.trim().to_string()));
        let input = ResourceInput {
            name: Some(self.name.clone()),
            description: Some(self.description.clone()),
            category: Some(self.category.clone()),
            owner_kind: Some(self.owner_kind.clone()),
            place: Some(self.place.clone()),
            latitude: float(&self.latitude, "latitude", &mut errors),
            longitude: float(&self.longitude, "latitude", &mut errors),
            quantity: int(&self.quantity, "quantity", &mut errors),
            replacement_value: money(&self.replacement_value),
            mode: Some(self.mode.clone()),
            price_per_day: money(&self.price_per_day),
            deposit: money(&self.deposit),
            conditions: Some(self.conditions.clone()),
            insurance_required: Some(self.insurance_required.is_some()),
            min_notice_hours: int(&self.min_notice_hours, "min_notice_hours", &mut errors),
            max_days: int(&self.max_days, "max_days", &mut errors),
            turnaround_hours: int(&self.turnaround_hours, "turnaround_hours", &mut errors),
            approval: Some(self.approval.clone()),
            borrowers: Some(self.borrowers.clone()),
            borrower_list: Some(self.borrower_list.lines().map(str::to_string).collect()),
            agreement_template: Some(self.agreement_template.clone()),
        };
        if errors.0.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

const ORDER: [&str; 20] = [
    "name",
    "description",
    "category",
    "owner_kind",
    "place",
    "latitude",
    "quantity",
    "mode",
    "price_per_day",
    "deposit",
    "replacement_value",
    "conditions",
    "min_notice_hours",
    "max_days",
    "turnaround_hours",
    "approval",
    "borrowers",
    "borrower_list",
    "agreement_template",
    "file",
];

#[allow(clippy::too_many_arguments)]
fn form_page(
    state: &AppState,
    page: &PageCtx,
    association: &str,
    association_label: &str,
    resource: Option<(&Resource, Vec<Value>)>,
    form: &ResourceForm,
    errors: Option<&FieldErrors>,
    notice: Option<&str>,
) -> Response {
    let lang = page.lang;
    let (field_errors, error_box) = match errors {
        Some(e) => {
            let (f, b) = errors_view(lang, e, &ORDER, str::to_string);
            (f, Some(b))
        }
        None => (Default::default(), None),
    };
    let categories: Vec<Value> = RESOURCE_CATEGORIES
        .iter()
        .map(|c| context! { value => c, label => category_label(lang, c) })
        .collect();
    let kinds: Vec<Value> = OWNER_KINDS
        .iter()
        .map(|k| context! { value => k, label => owner_kind_label(lang, k) })
        .collect();
    let status = if error_box.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (id, files) = match resource {
        Some((r, files)) => (Some(r.id), files),
        None => (None, Vec::new()),
    };
    render(
        state,
        page,
        "resource_form.html",
        context! {
            e => words(lang), name => association, association => association_label, id => id,
            values => Value::from_serialize(form), insurance => form.insurance_required.is_some(),
            categories => categories, kinds => kinds, files => files,
            field_errors => field_errors, error_box => error_box, notice => notice,
        },
        status,
    )
}

/// An association's equipment: everyone sees it; its coordinators add and change it.
async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    let lang = page.lang;
    let (owner, list) = match service::resources::of_association(state.store.as_ref(), &name).await
    {
        Ok(x) => x,
        Err(e) => return error_page(&state, &page, e),
    };
    let manages = match &page.user {
        Some(u) => service::hours::is_coordinator(state.store.as_ref(), u, &owner)
            .await
            .unwrap_or(false),
        None => false,
    };
    let cards: Vec<Value> = list
        .iter()
        .map(|r| super::browse::card(&state, lang, r, &owner, None))
        .collect();
    render(
        &state,
        &page,
        "resources.html",
        context! {
            e => words(lang), results => cards, owner => context! { name => owner.name, label => owner.label() },
            manages => manages, listing => true, values => context! {}, field_errors => context! {},
        },
        StatusCode::OK,
    )
}

async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let (page, u) = match super::logged_in(
        &state,
        &headers,
        &q,
        user,
        &format!("/g/{name}/resources/new"),
    ) {
        Ok(x) => x,
        Err(res) => return res,
    };
    match managed_association(&state, &u, &name).await {
        Ok(a) => form_page(
            &state,
            &page,
            &a.name,
            a.label(),
            None,
            &ResourceForm::blank(),
            None,
            None,
        ),
        Err(e) => error_page(&state, &page, e),
    }
}

async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
    Form(form): Form<ResourceForm>,
) -> Response {
    let (page, u) = match super::posted(
        &state,
        &headers,
        &q,
        user,
        form.csrf.as_deref(),
        &format!("/g/{name}/resources/new"),
    ) {
        Ok(x) => x,
        Err(res) => return res,
    };
    let a = match managed_association(&state, &u, &name).await {
        Ok(a) => a,
        Err(e) => return error_page(&state, &page, e),
    };
    let result = match form.input() {
        Ok(input) => {
            service::resources::create(
                state.store.as_ref(),
                &state.config,
                &u,
                &name,
                input,
                state.clock.now(),
            )
            .await
        }
        Err(e) => Err(DomainError::Invalid(e).into()),
    };
    match result {
        Ok(r) => {
            state.wake.notify_waiters();
            Redirect::to(&format!("/resources/{}/edit?done=saved", r.id)).into_response()
        }
        Err(ServiceError::Domain(DomainError::Invalid(e))) => form_page(
            &state,
            &page,
            &a.name,
            a.label(),
            None,
            &form,
            Some(&e),
            None,
        ),
        Err(e) => error_page(&state, &page, e),
    }
}

/// One of this node's resources the user coordinates, with its files for the form.
async fn owned(
    state: &AppState,
    user: &crate::domain::account::User,
    id: i64,
) -> Result<(Resource, crate::domain::actor::Actor, Vec<Value>), ServiceError> {
    let store = state.store.as_ref();
    let (r, owner) = service::resources::offered(store, id).await?;
    if !owner.local {
        return Err(ServiceError::NotFound("resource"));
    }
    super::super::pages::managed_association(state, user, &owner.name).await?;
    let files = store
        .list_resource_files(r.id)
        .await?
        .into_iter()
        .map(
            |f| context! { id => f.id, name => f.name, kind => f.kind, photo => f.kind == "photo" },
        )
        .collect();
    Ok((r, owner, files))
}

async fn edit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let (page, u) =
        match super::logged_in(&state, &headers, &q, user, &format!("/resources/{id}/edit")) {
            Ok(x) => x,
            Err(res) => return res,
        };
    match owned(&state, &u, id).await {
        Ok((r, owner, files)) => {
            let saved = (q.done.as_deref() == Some("saved")).then(|| {
                if page.lang == Lang::En {
                    "Saved."
                } else {
                    "C'est enregistré."
                }
            });
            form_page(
                &state,
                &page,
                &owner.name,
                owner.label(),
                Some((&r, files)),
                &ResourceForm::of(&r),
                None,
                saved,
            )
        }
        Err(e) => error_page(&state, &page, e),
    }
}

async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
    Form(form): Form<ResourceForm>,
) -> Response {
    let (page, u) = match super::posted(
        &state,
        &headers,
        &q,
        user,
        form.csrf.as_deref(),
        &format!("/resources/{id}/edit"),
    ) {
        Ok(x) => x,
        Err(res) => return res,
    };
    let (r, owner, files) = match owned(&state, &u, id).await {
        Ok(x) => x,
        Err(e) => return error_page(&state, &page, e),
    };
    let result = match form.input() {
        Ok(input) => {
            service::resources::update(state.store.as_ref(), &u, id, input, state.clock.now()).await
        }
        Err(e) => Err(DomainError::Invalid(e).into()),
    };
    match result {
        Ok(_) => {
            state.wake.notify_waiters();
            Redirect::to(&format!("/resources/{id}?done=saved")).into_response()
        }
        Err(ServiceError::Domain(DomainError::Invalid(e))) => form_page(
            &state,
            &page,
            &owner.name,
            owner.label(),
            Some((&r, files)),
            &form,
            Some(&e),
            None,
        ),
        Err(e) => error_page(&state, &page, e),
    }
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: Option<String>,
}

async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let (page, u) = match super::posted(
        &state,
        &headers,
        &q,
        user,
        form.csrf.as_deref(),
        &format!("/resources/{id}/edit"),
    ) {
        Ok(x) => x,
        Err(res) => return res,
    };
    let owner = match owned(&state, &u, id).await {
        Ok((_, owner, _)) => owner,
        Err(e) => return error_page(&state, &page, e),
    };
    match service::resources::delete(state.store.as_ref(), &u, id, state.clock.now()).await {
        Ok(()) => {
            state.wake.notify_waiters();
            Redirect::to(&format!("/g/{}/resources", owner.name)).into_response()
        }
        Err(e) => error_page(&state, &page, e),
    }
}

/// A photo or a document sent with the form (`multipart/form-data`: `csrf`, `kind`, `file`).
async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
    mut multipart: Multipart,
) -> Response {
    let session = user.1.clone();
    let (page, u) =
        match super::logged_in(&state, &headers, &q, user, &format!("/resources/{id}/edit")) {
            Ok(x) => x,
            Err(res) => return res,
        };
    let (mut csrf, mut kind, mut file) = (None, String::new(), None);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                let filename = field.file_name().unwrap_or_default().to_string();
                match field.bytes().await {
                    Ok(bytes) => match name.as_str() {
                        "csrf" => csrf = Some(String::from_utf8_lossy(&bytes).to_string()),
                        "kind" => kind = String::from_utf8_lossy(&bytes).to_string(),
                        "file" => file = Some((filename, bytes)),
                        _ => {}
                    },
                    Err(_) => return too_large(&state, &page, id).await,
                }
            }
            Ok(None) => break,
            Err(_) => return too_large(&state, &page, id).await,
        }
    }
    if !csrf_ok(session.as_deref(), csrf.as_deref()) {
        return csrf_refused(&state, &page);
    }
    let (filename, bytes) = file.unwrap_or_default();
    match service::files::attach(
        state.store.as_ref(),
        &u,
        id,
        &kind,
        &filename,
        &bytes,
        state.clock.now(),
    )
    .await
    {
        Ok(_) => {
            state.wake.notify_waiters();
            Redirect::to(&format!("/resources/{id}/edit?done=saved")).into_response()
        }
        Err(ServiceError::Domain(DomainError::Invalid(e))) => match owned(&state, &u, id).await {
            Ok((r, owner, files)) => form_page(
                &state,
                &page,
                &owner.name,
                owner.label(),
                Some((&r, files)),
                &ResourceForm::of(&r),
                Some(&e),
                None,
            ),
            Err(e) => error_page(&state, &page, e),
        },
        Err(e) => error_page(&state, &page, e),
    }
}

async fn too_large(state: &AppState, page: &PageCtx, id: i64) -> Response {
    let mut errors = FieldErrors::new();
    errors.add("file", "at most 10 MB");
    match owned(state, page.user.as_ref().expect("logged in"), id).await {
        Ok((r, owner, files)) => {
            let mut res = form_page(
                state,
                page,
                &owner.name,
                owner.label(),
                Some((&r, files)),
                &ResourceForm::of(&r),
                Some(&errors),
                None,
            );
            *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            res
        }
        Err(e) => error_page(state, page, e),
    }
}

async fn remove_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, file)): Path<(i64, i64)>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let (page, u) = match super::posted(
        &state,
        &headers,
        &q,
        user,
        form.csrf.as_deref(),
        &format!("/resources/{id}/edit"),
    ) {
        Ok(x) => x,
        Err(res) => return res,
    };
    match service::files::remove(state.store.as_ref(), &u, id, file, state.clock.now()).await {
        Ok(()) => {
            state.wake.notify_waiters();
            Redirect::to(&format!("/resources/{id}/edit?done=saved")).into_response()
        }
        Err(e) => error_page(&state, &page, e),
    }
}
