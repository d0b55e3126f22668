//! DESIGN.md's vocabulary (v1 and v2), written out once for the tests that
//! hold the knowledge base and the story files to it (`tests/kb_text.rs`,
//! `tests/own_stories.rs`). Written out on purpose, not read from the KB:
//! the vocabulary is a contract with DESIGN.md, and a KB that drifts from it
//! must not make itself or its stories look valid.
#![allow(dead_code)]

/// DESIGN.md "Vocabulary": causes (19).
pub const V1_CAUSES: [&str; 19] = [
    "renewal.wrong_info",
    "renewal.wrong_operation",
    "renewal.late_payment",
    "network.weak_signal",
    "network.equipment_fault",
    "bank.system_issue",
    "bank.insufficient_balance",
    "system.software_fault",
    "system.outdated_software",
    "system.version_incompatible",
    "human.misoperation",
    "account.frozen",
    "account.abnormal",
    "provider.maintenance",
    "activation.pending",
    "device.not_reregistered",
    "device.signin_required",
    "account.dormant",
    "account.documents_expired",
];
/// DESIGN.md "Vocabulary v2": causes (8).
pub const V2_CAUSES: [&str; 8] = [
    "sim.fee_unpaid",
    "sim.cancelled",
    "sim.card_mismatch",
    "scam.fake_notice",
    "account.risk_blocked",
    "device.moved",
    "account.cancelled",
    "terminal.not_bound",
];
/// Facts and their values, v2 values merged into v1 facts. `not_sure` is an
/// answer, never a stated fact, so it is not listed.
pub const FACTS: [(&str, &[&str]); 22] = [
    ("payment_result", &["success", "failed", "pending"]),
    ("money_deducted", &["yes", "no"]),
    ("time_since_payment", &["under_1h", "1h_to_24h", "over_24h"]),
    ("restarted_since", &["yes", "no"]),
    ("network_icon", &["none", "weak", "normal"]),
    ("connection", &["sim", "wifi", "wired"]),
    ("other_devices_online", &["yes", "no"]),
    (
        "screen_message",
        &["suspended", "no_network", "signin_failed", "update_prompt", "account_abnormal", "other", "none", "not_registered"],
    ),
    ("details_match", &["yes", "no"]),
    ("balance_enough", &["yes", "no"]),
    ("bank_notice", &["yes", "no"]),
    ("provider_notice", &["yes", "no"]),
    ("software_state", &["latest", "update_available"]),
    ("account_status", &["normal", "frozen", "abnormal", "restricted", "cancelled"]),
    ("renewal_confirmed", &["yes", "no"]),
    ("months_since_last_sale", &["under_3", "3_to_6", "over_6"]),
    ("documents_valid", &["yes", "no"]),
    ("fee_paid", &["service_fee", "sim_fee"]),
    ("paid_via", &["official_app", "label_qr", "agent", "link_in_message", "taken_from_sale"]),
    ("notice_source", &["terminal_screen", "official_app", "sms_or_call"]),
    ("sim_status", &["active", "stopped", "cancelled"]),
    ("moved_recently", &["yes", "no"]),
];
/// Checklist steps (15 + 10).
pub const ACTIONS: [&str; 25] = [
    "action.wait_activation",
    "action.restart",
    "action.recheck_details_and_renew",
    "action.follow_guide_and_renew",
    "action.top_up_and_retry",
    "action.retry_after_bank_maintenance",
    "action.move_to_better_signal",
    "action.check_router",
    "action.update_software",
    "action.check_announcements",
    "action.check_account_status",
    "action.contact_bank",
    "action.sign_in_again",
    "action.update_documents",
    "action.contact_provider",
    "action.check_sim_status",
    "action.pay_sim_fee",
    "action.request_new_sim",
    "action.request_sim_rebind",
    "action.verify_in_official_app",
    "action.request_reactivation",
    "action.submit_risk_appeal",
    "action.report_address_change",
    "action.rebind_terminal",
    "action.reapply",
];

/// Every cause, v1 then v2.
pub fn causes() -> impl Iterator<Item = &'static str> {
    V1_CAUSES.iter().chain(V2_CAUSES.iter()).copied()
}
