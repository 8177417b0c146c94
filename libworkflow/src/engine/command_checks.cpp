// Checks shared by every command; see command_checks.hpp.
#include "engine/command_checks.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "support/sha256.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {

namespace {

bool needs_reason(Verb v) {
  switch (v) {
    case Verb::refuse: case Verb::review_return: case Verb::deny: case Verb::higher_deny:
    case Verb::opinion_disagree: case Verb::suspend: case Verb::extend: case Verb::withdraw:
    case Verb::terminate: case Verb::verify: case Verb::rectify: case Verb::explain:
    case Verb::appeal: case Verb::call_back: case Verb::false_promise: case Verb::revoke:
    case Verb::send_unresolved: case Verb::settle_unresolved:
    case Verb::order: case Verb::reply_order: case Verb::escalate_order: case Verb::reassign:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += "; ";
    out += s;
  }
  return out;
}

// Bit i set for each named material of the matter; unknown names are an error that lists
// the matter's materials, so the window can correct the entry.
std::uint64_t material_bits(const Matter& m, const std::vector<std::string>& names) {
  std::uint64_t bits = 0;
  std::vector<std::string> unknown;
  for (const std::string& name : names) {
    bool found = false;
    for (std::size_t i = 0; i < m.materials.size(); ++i) {
      if (m.materials[i].name == name) {
        bits |= std::uint64_t{1} << i;
        found = true;
      }
    }
    if (!found) unknown.push_back(name);
  }
  if (!unknown.empty()) {
    std::vector<std::string> known;
    for (const Material& mat : m.materials) known.push_back(mat.name);
    throw Error(ErrorCode::invalid_argument,
                fmt::format("matter {} has no material named {}; its materials are: {}", m.code,
                            join(unknown), known.empty() ? "none" : join(known)));
  }
  return bits;
}

void check_details(Verb verb, const Action& a, const Policy& policy) {
  if (needs_reason(verb) && a.reason.empty()) {
    throw Error(ErrorCode::invalid_argument, fmt::format("{} needs a reason", to_string(verb)));
  }
  if (verb == Verb::suspend) {
    if (!a.procedure) {
      throw Error(ErrorCode::invalid_argument,
                  "suspend needs the §45 procedure (hearing, tender, auction, inspection, "
                  "appraisal or expert_review)");
    }
    if (a.days < 1) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("suspend needs the expected duration in working days (got {})",
                              a.days));
    }
  }
  // The upper bound is the matter's (§42: 10, or 15 for joint handling): see act().
  if (verb == Verb::extend && (a.days < 1 || a.days > std::max(policy.extension_max_days, 15))) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("an extension is 1 to at most 15 working days (got {})", a.days));
  }
  if (verb == Verb::reassign && a.to_post.empty()) {
    throw Error(ErrorCode::invalid_argument, "reassign needs the post to move the stage to (to_post)");
  }
  if (verb != Verb::reassign && !a.to_post.empty()) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("{} takes no post to move to (to_post is for reassign)", to_string(verb)));
  }
  const bool on_an_order =
      verb == Verb::reply_order || verb == Verb::close_order || verb == Verb::escalate_order;
  if (a.order != 0 && !on_an_order) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("{} names no supervision order (order is for reply_order, "
                            "close_order and escalate_order)", to_string(verb)));
  }
  // A reply limit of the order's own: a few working days to a month and a half.
  if (verb == Verb::order && (a.days < 0 || a.days > 30)) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("a supervision order's reply limit is 1 to 30 working days, or 0 "
                            "for the rules' order_reply_days (got {})", a.days));
  }
  if (verb == Verb::hand_to_unit) {
    if (a.unit.empty()) {
      throw Error(ErrorCode::invalid_argument,
                  "hand_to_unit needs the unit (a department id) asked to settle the case");
    }
    if (a.days < 0) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("hand_to_unit's settle limit is a number of working days, or 0 "
                              "for the rules' unresolved_settle_days (got {})", a.days));
    }
  }
  if (verb == Verb::supplement && a.materials.empty()) {
    throw Error(ErrorCode::invalid_argument, "supplement needs the materials brought");
  }
}

// What identifies a command for its request id: every field that changes what it does.
std::string fingerprint(std::initializer_list<std::string_view> parts,
                        const std::vector<std::string>& materials) {
  std::string text;
  for (std::string_view p : parts) {
    text += p;
    text += '\x1f';
  }
  for (const std::string& m : materials) {
    text += m;
    text += '\x1e';
  }
  return sha256_hex(text).substr(0, 32);
}


std::string action_fingerprint(std::string_view scope, std::uint64_t id, Verb verb,
                               const Action& a) {
  std::string print = fingerprint({scope, std::to_string(id), to_string(verb), a.actor, a.reason,
                      std::to_string(a.days),
                      a.procedure ? to_string(*a.procedure) : std::string_view{},
                      a.tolerate_missing ? "tolerate" : "", a.on_promise ? "promise" : "",
                      to_string(a.channel)},
                     a.materials);
  // The oversight details and the unit join only when given, so ids recorded before them
  // still match.
  if (!a.to_post.empty() || a.order != 0) {
    print = fingerprint({print, "to_post", a.to_post, "order", std::to_string(a.order)}, {});
  }
  if (!a.unit.empty()) print = fingerprint({print, "unit", a.unit}, {});
  return print;
}

}  // namespace workflow::detail
