//! Emails about associations coming in (issue 14): the answer to a request for a new
//! association, and an invitation to join one. Written in the node's language, recorded in the
//! mail queue like every notice (`skipped` when SMTP is off).

use super::{email, NotifyError};
use crate::{
    domain::association::{AssociationRequest, RequestStatus},
    i18n::{tr, tr_args, Arg, Lang},
    state::Context,
    storage::NewNotification,
};

/// The answer to a request, composed (pure): subject and body.
pub fn answer_text(
    lang: Lang,
    r: &AssociationRequest,
    page: &str,
    instance: &str,
) -> (String, String) {
    let args = [
        ("name", Arg::from(r.names.display_name.clone())),
        ("reason", Arg::from(r.reason.clone())),
        ("page", Arg::from(page.to_string())),
        ("instance", Arg::from(instance.to_string())),
    ];
    let kind = match r.status {
        RequestStatus::Approved => "approved",
        _ => "refused",
    };
    (
        tr_args(lang, &format!("mail-association_{kind}_subject"), &args),
        tr_args(lang, &format!("mail-association_{kind}_body"), &args),
    )
}

/// The author of a request hears of its answer.
pub async fn request_answered(
    ctx: &Context,
    request_id: i64,
) -> Result<Vec<NewNotification>, NotifyError> {
    let r = ctx.store.get_association_request(request_id).await?;
    if r.status == RequestStatus::Pending {
        return Ok(Vec::new());
    }
    let user = ctx.store.get_user(r.user_id).await?;
    let Some(address) = user.email.filter(|e| e.contains('@')) else {
        return Ok(Vec::new());
    };
    let lang = Lang::or_reference(&ctx.config.instance.default_language);
    let base = ctx.config.base();
    let page = match r.status {
        RequestStatus::Approved => format!("{base}/g/{}", r.names.name),
        _ => format!("{base}/associations/new"),
    };
    let (subject, body) = answer_text(lang, &r, &page, &ctx.config.instance.name);
    Ok(vec![email(
        &ctx.config,
        &format!("association_{}", r.status.as_str()),
        &address,
        subject,
        body,
        format!("association_request:{request_id}"),
    )])
}

/// The invitation's email, with its link (valid 7 days, once).
pub async fn invitation_sent(
    ctx: &Context,
    invitation_id: i64,
    token: &str,
) -> Result<Vec<NewNotification>, NotifyError> {
    let inv = ctx.store.get_invitation(invitation_id).await?;
    let association = ctx.store.get_actor(inv.actor_id).await?;
    let lang = Lang::or_reference(&ctx.config.instance.default_language);
    let tz = ctx.config.timezone();
    let args = [
        ("association", Arg::from(association.label().to_string())),
        (
            "role",
            Arg::from(tr(lang, &format!("assoc-role_{}", inv.role.as_str()))),
        ),
        (
            "link",
            Arg::from(format!("{}/invitations/{token}", ctx.config.base())),
        ),
        (
            "until",
            Arg::from(
                inv.expires_at
                    .with_timezone(&tz)
                    .format("%d/%m/%Y %H:%M")
                    .to_string(),
            ),
        ),
        ("instance", Arg::from(ctx.config.instance.name.clone())),
    ];
    Ok(vec![email(
        &ctx.config,
        "invitation",
        &inv.email,
        tr_args(lang, "mail-invitation_subject", &args),
        tr_args(lang, "mail-invitation_body", &args),
        format!("invitation:{invitation_id}"),
    )])
}
