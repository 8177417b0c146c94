// Rule entries spelled field by field, references by id (see rule_fields.hpp).
#include "rules/rule_fields.hpp"

#include <fmt/format.h>

namespace workflow::detail {
namespace {

std::string yes_no(bool b) { return b ? "true" : "false"; }

template <class Ref, class Get>
std::string id_or_none(const std::optional<Ref>& ref, Get&& get) {
  return ref ? std::string(get(*ref)) : std::string("-");
}

}  // namespace

FieldList fields_of(const RuleSet& r, const Office& o) {
  return {{"name", o.name},
          {"level", std::string(to_string(o.level))},
          {"parent", id_or_none(o.parent, [&](OfficeRef p) { return r.office(p).id; })}};
}

FieldList fields_of(const RuleSet& r, const Department& d) {
  return {{"name", d.name}, {"office", r.office(d.office).id}};
}

FieldList fields_of(const RuleSet& r, const Staff& s) {
  return {{"name", s.name}, {"office", r.office(s.office).id}};
}

FieldList fields_of(const RuleSet& r, const Post& p) {
  return {{"name", p.name},
          {"office", r.office(p.office).id},
          {"department", r.department(p.department).id},
          {"role", std::string(to_string(p.role))},
          {"a", r.staff(p.a).id},
          {"b", r.staff(p.b).id},
          {"supervisor", id_or_none(p.supervisor, [&](PostRef s) { return r.post(s).id; })},
          {"approves_extensions", yes_no(p.approves_extensions)},
          {"keeps_status_board", yes_no(p.keeps_status_board)},
          {"issues_orders", yes_no(p.issues_orders)},
          {"reassigns", yes_no(p.reassigns)},
          {"sends_unresolved", yes_no(p.sends_unresolved)}};
}

FieldList fields_of(const RuleSet& r, const Matter& m) {
  std::string materials, stages;
  for (const Material& x : m.materials) {
    materials += fmt::format("{}{}{}", materials.empty() ? "" : ", ", x.name,
                             x.tolerable ? " (容缺)" : "");
  }
  for (const Stage& s : m.stages) {
    stages += fmt::format("{}{}@{}/{}", stages.empty() ? "" : ", ", s.name, r.post(s.post).id,
                          s.share_days);
  }
  return {{"name", m.name},
          {"basis", m.basis},
          {"department", r.department(m.department).id},
          {"level", std::string(to_string(m.level))},
          {"kind", std::string(to_string(m.kind))},
          {"legal_limit", std::to_string(m.legal_limit)},
          {"promised_limit", std::to_string(m.promised_limit)},
          {"materials", materials},
          {"stages", stages},
          {"escalate_to", id_or_none(m.escalate_to, [&](PostRef p) { return r.post(p).id; })},
          {"fee_fen", std::to_string(m.fee_fen)},
          {"deemed_approval", yes_no(m.deemed_approval)},
          {"promise_approval", yes_no(m.promise_approval)},
          {"promise_verification_days", std::to_string(m.promise_verification_days)},
          {"village_proxy", yes_no(m.village_proxy)},
          {"cross_region", yes_no(m.cross_region)}};
}

FieldList fields_of(const RuleSet& r, const Delegation& d) {
  return {{"matter", r.matter(d.matter).code},
          {"from_office", r.office(d.from_office).id},
          {"from_department",
           id_or_none(d.from_department, [&](DepartmentRef x) { return r.department(x).id; })},
          {"township", r.office(d.township).id},
          {"mode", std::string(to_string(d.mode))},
          {"valid_from", d.valid_from.to_string()},
          {"valid_until", d.valid_until.to_string()},
          {"post", id_or_none(d.post, [&](PostRef p) { return r.post(p).id; })},
          {"document", d.document}};
}

FieldList fields_of(const RuleSet& r, const Bundle& b) {
  std::string matters;
  for (const MatterRef m : b.matters) {
    matters += fmt::format("{}{}", matters.empty() ? "" : ", ", r.matter(m).code);
  }
  return {{"name", b.name},
          {"office", r.office(b.office).id},
          {"matters", matters},
          {"promised_limit", std::to_string(b.promised_limit)}};
}

FieldList fields_of(const Policy& p) {
  return {{"promised_ratio_cap", fmt::format("{}", p.promised_ratio_cap)},
          {"notify_missing_days", std::to_string(p.notify_missing_days)},
          {"yellow_days_left", std::to_string(p.yellow_days_left)},
          {"yellow_used_fraction", fmt::format("{}", p.yellow_used_fraction)},
          {"tolerance_supplement_days", std::to_string(p.tolerance_supplement_days)},
          {"rectification_days", std::to_string(p.rectification_days)},
          {"extension_max_days", std::to_string(p.extension_max_days)},
          {"escalation_review_days", std::to_string(p.escalation_review_days)},
          {"issue_days", std::to_string(p.issue_days)},
          {"promise_verification_days", std::to_string(p.promise_verification_days)},
          {"order_reply_days", std::to_string(p.order_reply_days)},
          {"unresolved_settle_days", std::to_string(p.unresolved_settle_days)},
          {"matter_code_length", std::to_string(p.matter_code_length)}};
}

std::string changed_fields(const FieldList& from, const FieldList& to) {
  std::string out;
  for (std::size_t i = 0; i < from.size() && i < to.size(); ++i) {
    if (from[i].second != to[i].second) {
      out += fmt::format("{}{}: {} -> {}", out.empty() ? "" : "; ", from[i].first,
                         from[i].second, to[i].second);
    }
  }
  return out;
}

}  // namespace workflow::detail
