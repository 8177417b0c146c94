// Resolving ids into Refs and checking the rules that look across entries
// (docs/rules.md "Validation"). Every check runs on every entry, so one load reports every
// problem; a check is skipped when an input it needs was already reported as broken, so one
// mistake is reported once, not again through everything that depends on it.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "rules/office_tree.hpp"
#include "rules/rules_validate.hpp"

namespace workflow::detail {
namespace {

class Validator : Checker {
 public:
  Validator(RawRuleSet& raw, RuleData& out) : Checker(raw, out) {}

  void run() {
    if (raw_.policy) {
      out_.policy = raw_.policy->policy;
      // A matter is not checked against a cap that is itself wrong (it keeps the default).
      cap_known_ = !raw_.policy->reported("promised_ratio_cap");
    }
    index(raw_.offices, &RawOffice::id, "id", "office id", out_.office_index);
    index(raw_.departments, &RawPlaced::id, "id", "department id", out_.department_index);
    index(raw_.staff, &RawPlaced::id, "id", "staff id", out_.staff_index);
    index(raw_.posts, &RawPost::id, "id", "post id", out_.post_index);
    index(raw_.matters, &RawMatter::code, "code", "matter code", out_.matter_index);
    index(raw_.delegations, &RawDelegation::id, "id", "delegation id", out_.delegation_index);
    index(raw_.bundles, &RawBundle::id, "id", "bundle id", out_.bundle_index);
    check_offices();
    if (raw_.offices.empty() && !raw_.some_file_unreadable) {
      f_.error({0, 0, 0}, "", "the rule set has no offices: a hall needs at least one");
    }
    for (const RawPlaced& d : raw_.departments) {
      department_office_.push_back(resolve(d, "office", d.office, out_.office_index, "office"));
      out_.departments.push_back(
          {text(d.id), text(d.name), department_office_.back().value_or(OfficeRef{})});
    }
    for (const RawPlaced& s : raw_.staff) {
      if (s.id && s.id->value == "system") {
        // Events the engine causes itself name "system" as their actor: a person with that
        // id could not be told apart from the engine in the record.
        f_.error(s.id->at, field(s, "id"),
                 "'system' is the engine's own actor name (timers, deemed approvals): give the "
                 "staff member another id");
      }
      const auto office = resolve(s, "office", s.office, out_.office_index, "office");
      out_.staff.push_back({text(s.id), text(s.name), office.value_or(OfficeRef{})});
    }
    check_posts();
    for (const RawMatter& m : raw_.matters) check_matter(m);
    terms_known_.assign(raw_.delegations.size(), false);
    out_.delegations_by_matter.resize(out_.matters.size());
    for (const RawDelegation& d : raw_.delegations) check_delegation(d);
    warn_of_gaps();
    check_bundles();
  }

 private:
  void check_offices() {
    for (const RawOffice& o : raw_.offices) {
      office_level_.push_back(o.level ? std::optional(o.level->value) : std::nullopt);
      out_.offices.push_back({text(o.id), text(o.name), o.level ? o.level->value : Level::county,
                              resolve(o, "parent", o.parent, out_.office_index, "office")});
    }
    // A loop is reported once, at its first office; level checks along it would only repeat it.
    std::vector<bool> on_loop(out_.offices.size(), false);
    for (const std::vector<std::uint32_t>& loop : parent_loops(out_.offices)) {
      std::string chain;
      for (std::uint32_t member : loop) {
        on_loop[member] = true;
        chain += out_.offices[member].id + " -> ";
      }
      const RawOffice& first = raw_.offices[loop.front()];
      f_.error(first.parent->at, field(first, "parent"),
               fmt::format("the parent chain loops: {}{}", chain, out_.offices[loop.front()].id));
    }
    for (std::size_t i = 0; i < out_.offices.size(); ++i) {
      const RawOffice& o = raw_.offices[i];
      const auto level = office_level_[i];
      const auto parent_level = level_of(out_.offices[i].parent);
      if (on_loop[i] || !level || !parent_level) continue;
      if (*level == Level::province) {
        f_.error(o.parent->at, field(o, "parent"),
                 fmt::format("a province office has no parent, found '{}'", o.parent->value));
        continue;
      }
      const auto expected = static_cast<Level>(static_cast<int>(*level) + 1);
      if (*parent_level != expected) {
        f_.error(
            o.parent->at, field(o, "parent"),
            fmt::format("office '{}' is a {} office, the parent of a {} office must be a {} office",
                        o.parent->value, to_string(*parent_level), to_string(*level),
                        to_string(expected)));
      }
    }
  }

  void check_posts() {
    std::map<std::uint32_t, std::size_t> unresolved_post_at;  // office index -> post index
    for (std::size_t i = 0; i < raw_.posts.size(); ++i) {
      const RawPost& p = raw_.posts[i];
      post_office_.push_back(resolve(p, "office", p.office, out_.office_index, "office"));
      post_department_.push_back(
          resolve(p, "department", p.department, out_.department_index, "department"));
      const auto a = resolve(p, "a", p.a, out_.staff_index, "staff");
      const auto b = resolve(p, "b", p.b, out_.staff_index, "staff");
      const auto supervisor = resolve(p, "supervisor", p.supervisor, out_.post_index, "post");
      // By id, not by Ref: the rule holds even while the staff ids cannot be looked up.
      if (p.a && p.b && p.a->value == p.b->value) {
        f_.error(p.b->at, field(p, "b"),
                 fmt::format("staff '{}' cannot hold both A and B of the post", p.b->value));
      }
      if (supervisor && index_of(*supervisor) == i) {
        f_.error(p.supervisor->at, field(p, "supervisor"), "a post cannot supervise itself");
      }
      if (post_office_[i] && p.role == PostRole::unresolved) {
        const auto [it, first] = unresolved_post_at.try_emplace(index_of(*post_office_[i]), i);
        if (!first) {
          f_.error(p.office->at, field(p, "office"),
                   fmt::format("office '{}' already has an unresolved post '{}'", p.office->value,
                               out_.posts[it->second].id));
        }
      }
      check_oversight_flags(p);
      out_.posts.push_back({text(p.id), text(p.name), post_office_[i].value_or(OfficeRef{}),
                            post_department_[i].value_or(DepartmentRef{}), p.role,
                            a.value_or(StaffRef{}), b.value_or(StaffRef{}), supervisor,
                            p.approves_extensions, p.keeps_status_board,
                            p.issues_orders && p.issues_orders->value,
                            p.reassigns && p.reassigns->value,
                            p.sends_unresolved && p.sends_unresolved->value});
    }
    check_senders();
  }

  // 督办 and 改派 are the work of the centre's offices and the units' leaders: a village
  // agent, the 办不成事 window or a policy counter neither supervises nor reassigns.
  void check_oversight_flags(const RawPost& p) {
    const bool handles_work = p.role == PostRole::window || p.role == PostRole::back_office;
    if (p.issues_orders && p.issues_orders->value && p.role == PostRole::agent) {
      f_.error(p.issues_orders->at, field(p, "issues_orders"),
               "a village agent post does not issue supervision orders (督办); give "
               "issues_orders to a post of the supervision office or a leader");
    }
    if (p.reassigns && p.reassigns->value && !handles_work) {
      f_.error(p.reassigns->at, field(p, "reassigns"),
               fmt::format("a {} post does not lead a unit: reassigns (改派) is for a unit "
                           "leader's window or back_office post", to_string(p.role)));
    }
  }

  // sends_unresolved (办不成事反映窗口): a window post or a supervisor sends, and only where
  // a 办不成事 window is there to receive (the post's office or an office above).
  void check_senders() {
    std::vector<bool> supervises(out_.posts.size(), false);
    for (const Post& p : out_.posts) {
      if (p.supervisor) supervises[index_of(*p.supervisor)] = true;
    }
    for (std::size_t i = 0; i < raw_.posts.size(); ++i) {
      const RawPost& p = raw_.posts[i];
      if (!p.sends_unresolved || !p.sends_unresolved->value) continue;
      const Where at = p.sends_unresolved->at;
      if (p.role != PostRole::window && !supervises[i]) {
        f_.error(at, field(p, "sends_unresolved"),
                 fmt::format("only a window post or a post that supervises another sends cases "
                             "to the 办不成事 window; '{}' is a {} post and supervises none",
                             text(p.id), to_string(p.role)));
        continue;
      }
      if (!post_office_[i]) continue;
      bool window = false;
      std::size_t steps = 0;  // a looping parent chain is reported elsewhere
      for (std::optional<OfficeRef> o = post_office_[i];
           o && !window && steps++ <= out_.offices.size();
           o = out_.offices[index_of(*o)].parent) {
        for (std::size_t j = 0; j < raw_.posts.size() && !window; ++j) {
          window = raw_.posts[j].role == PostRole::unresolved && post_office_[j] == o;
        }
      }
      if (!window) {
        f_.error(at, field(p, "sends_unresolved"),
                 fmt::format("office '{}' has no unresolved post (办不成事 window), nor does any "
                             "office above it, so post '{}' has nowhere to send cases",
                             p.office->value, text(p.id)));
      }
    }
  }

  void check_matter(const RawMatter& m) {
    Matter matter;
    matter.code = text(m.code);
    matter.name = text(m.name);
    matter.basis = text(m.basis);
    const auto code_length = static_cast<std::size_t>(out_.policy.matter_code_length);
    if (m.code && code_length > 0 && utf8_length(m.code->value) != code_length) {
      f_.error(m.code->at, field(m, "code"),
               fmt::format("code '{}' has {} characters, policy matter_code_length is {}",
                           m.code->value, utf8_length(m.code->value), code_length));
    }
    const auto department =
        resolve(m, "department", m.department, out_.department_index, "department");
    matter_department_.push_back(department);
    matter.department = department.value_or(DepartmentRef{});
    const auto office_level =
        level_of(department ? department_office_[index_of(*department)] : std::nullopt);
    if (m.level && office_level && *office_level != m.level->value) {
      f_.error(
          m.level->at, field(m, "level"),
          fmt::format("the matter is at {} level but department '{}' sits at a {} office",
                      to_string(m.level->value), m.department->value, to_string(*office_level)));
    }
    if (m.level) matter.level = m.level->value;
    if (m.kind) matter.kind = m.kind->value;
    check_limits(m, matter);
    if (m.kind) {
      check_stages(m, matter);
      check_escalation(m, matter);
      check_extension(m, matter);
    }
    matter.materials = m.materials;
    matter.fee_fen = m.fee_fen;
    matter.deemed_approval = m.deemed_approval;
    matter.promise_approval = m.promise_approval;
    if (m.promise_verification_days && !m.promise_approval) {
      f_.error(m.promise_verification_days->at, field(m, "promise_verification_days"),
               "only a matter with promise_approval: true is approved on commitment (告知承诺) "
               "and has its commitment verified");
    } else if (m.promise_approval) {
      matter.promise_verification_days = m.promise_verification_days
                                             ? m.promise_verification_days->value
                                             : out_.policy.promise_verification_days;
    }
    matter.village_proxy = m.village_proxy;
    matter.cross_region = m.cross_region && m.cross_region->value;
    if (matter.cross_region && m.kind && m.kind->value == MatterKind::instant) {
      f_.error(m.cross_region->at, field(m, "cross_region"),
               "an instant matter is decided on the spot by the accepting window, so it cannot be "
               "handled elsewhere");
    }
    out_.matters.push_back(std::move(matter));
  }

  // §42: the one extension, its length per matter, and that someone may approve it.
  void check_extension(const RawMatter& m, Matter& matter) {
    const MatterKind kind = m.kind->value;
    const int cap = kind == MatterKind::joint ? 15 : 10;
    if (!m.extension_days) {
      matter.extension_days = kind == MatterKind::instant ? 0
                              : kind == MatterKind::joint  ? 15
                                                           : std::min(out_.policy.extension_max_days, 10);
    } else {
      const int days = m.extension_days->value;
      if (kind == MatterKind::instant && days > 0) {
        f_.error(m.extension_days->at, field(m, "extension_days"),
                 "an instant matter is decided on the spot: it has no extension");
      } else if (days > cap) {
        f_.error(m.extension_days->at, field(m, "extension_days"),
                 kind == MatterKind::joint
                     ? fmt::format("§42 ¶2 allows joint handling at most 15 working days, found {}",
                                   days)
                     : fmt::format("§42 ¶1 allows a single organ at most 10 working days (15 is "
                                   "for joint handling), found {}", days));
      }
      matter.extension_days = std::min(days, cap);
    }
    if (matter.extension_days == 0) return;
    // The head of the deciding organ approves (经本行政机关负责人批准): the higher level for
    // an escalated matter, else the matter's department.
    std::optional<DepartmentRef> organ = matter_department_.back();
    if (kind == MatterKind::escalated && matter.escalate_to &&
        index_of(*matter.escalate_to) < out_.posts.size()) {
      organ = out_.posts[index_of(*matter.escalate_to)].department;
    }
    if (!organ || index_of(*organ) >= out_.departments.size() ||
        index_of(*organ) >= department_office_.size()) {
      return;  // already reported
    }
    // The department's office, if it resolved (a broken set may have none).
    const std::optional<OfficeRef> seat = department_office_[index_of(*organ)];
    const bool township = seat && index_of(*seat) < out_.offices.size() &&
                          out_.offices[index_of(*seat)].level <= Level::township;
    const bool someone = std::any_of(out_.posts.begin(), out_.posts.end(), [&](const Post& p) {
      // A township's internal office (民政办, 建设办) has no head of its own: the township
      // government's leader approves.
      return p.approves_extensions &&
             (p.department == *organ || (township && p.office == *seat));
    });
    if (!someone) {
      f_.error(m.at, m.path,
               fmt::format("no post of department '{}' has approves_extensions, so nobody could "
                           "approve this matter's §42 extension; give its head's post "
                           "approves_extensions: true, or set extension_days: 0",
                           out_.departments[index_of(*organ)].id));
    }
  }

  // Time limits longer than this are mistakes (a typo, a count in calendar days of decades).
  static constexpr int kMaxLimitDays = 1000;

  void check_limits(const RawMatter& m, Matter& matter) {
    const bool instant = m.kind && m.kind->value == MatterKind::instant;
    const std::string_view kind = m.kind ? to_string(m.kind->value) : "";
    bool comparable = true;  // both limits known and sane
    for (const auto& [limit, name, into] :
         {std::tuple{&m.legal_limit, "legal_limit", &matter.legal_limit},
          std::tuple{&m.promised_limit, "promised_limit", &matter.promised_limit}}) {
      if (!*limit) {  // instant matters default to 0
        if (m.kind && !instant && !m.reported(name)) {
          f_.error(m.at, m.path,
                   fmt::format("missing required field '{}' for a {} matter", name, kind));
        }
        comparable = comparable && instant && !m.reported(name);
      } else if ((*limit)->value > kMaxLimitDays) {
        f_.error((*limit)->at, field(m, name),
                 fmt::format("{} working days is more than {} (about four years): no time limit "
                             "of the implementation list is that long, and the calendar cannot "
                             "count it", (*limit)->value, kMaxLimitDays));
        comparable = false;
      } else if ((*limit)->value == 0 && m.kind && !instant) {
        f_.error((*limit)->at, field(m, name),
                 fmt::format("a {} matter needs at least 1 working day, found 0", kind));
        comparable = false;
      } else {
        *into = (*limit)->value;
      }
    }
    if (!comparable || !m.promised_limit) return;
    const int legal = matter.legal_limit;
    const int promised = matter.promised_limit;
    const double cap = out_.policy.promised_ratio_cap;
    if (promised > legal) {
      f_.error(m.promised_limit->at, field(m, "promised_limit"),
               fmt::format("{} working days exceeds the legal limit of {}", promised, legal));
    } else if (cap_known_ && promised > cap * legal + 1e-9) {
      f_.error(
          m.promised_limit->at, field(m, "promised_limit"),
          fmt::format(
              "{} working days exceeds {} of the legal limit of {} (policy promised_ratio_cap)",
              promised, cap, legal));
    }
  }

  void check_stages(const RawMatter& m, Matter& matter) {
    const MatterKind kind = m.kind->value;
    // The engine keeps materials and opinions as bit sets in the compact case record.
    if (m.stages_listed > 32) {
      f_.error(*m.stages_at, field(m, "stages"),
               fmt::format("{} stages, more than the 32 the engine supports per matter",
                           m.stages_listed));
    }
    if (m.materials.size() > 64) {
      f_.error(m.at, m.path,
               fmt::format("{} materials, more than the 64 the engine supports per matter",
                           m.materials.size()));
    }
    const bool needs_stages = kind == MatterKind::committed || kind == MatterKind::joint;
    if (m.reported("stages")) {
      // not a list: nothing more to say about it
    } else if (kind == MatterKind::instant && m.stages_listed > 0) {
      f_.error(*m.stages_at, field(m, "stages"), "an instant matter has no stages");
    } else if (needs_stages && !m.stages_at) {
      f_.error(m.at, m.path,
               fmt::format("missing required field 'stages' for a {} matter", to_string(kind)));
    } else if (needs_stages && m.stages_listed == 0) {
      f_.error(*m.stages_at, field(m, "stages"),
               fmt::format("a {} matter needs at least one stage", to_string(kind)));
    } else if (kind == MatterKind::joint && m.stages_listed < 2) {
      f_.error(*m.stages_at, field(m, "stages"),
               "a joint matter needs at least two stages, found 1");
    }
    std::set<std::uint32_t> departments;
    bool departments_known = m.stages.size() == m.stages_listed;
    for (const RawStage& s : m.stages) {
      Stage stage{text(s.name), {}, 0};
      const auto post = resolve(s, "post", s.post, out_.post_index, "post");
      const auto department = post ? post_department_[index_of(*post)] : std::nullopt;
      if (department) departments.insert(index_of(*department));
      departments_known = departments_known && department.has_value();
      stage.post = post.value_or(PostRef{});
      if (s.share_days && matter.promised_limit > 0 &&
          s.share_days->value > matter.promised_limit) {
        f_.error(s.share_days->at, field(s, "share_days"),
                 fmt::format("{} working days exceeds the promised limit of {}",
                             s.share_days->value, matter.promised_limit));
      } else if (s.share_days) {
        stage.share_days = s.share_days->value;
      }
      matter.stages.push_back(std::move(stage));
    }
    // 环节时限: ordered stages run one after another, so their own times must fit the promise
    // (a joint matter's shares run side by side, each within the promise, checked above).
    if (kind != MatterKind::joint && matter.promised_limit > 0 && m.stages_at) {
      int sum = 0;
      for (const Stage& s : matter.stages) sum += s.share_days;
      if (sum > matter.promised_limit) {
        f_.error(*m.stages_at, field(m, "stages"),
                 fmt::format("the stages' share_days add up to {} working days, more than the "
                             "promised limit of {}", sum, matter.promised_limit));
      }
    }
    if (kind == MatterKind::joint && m.stages_listed >= 2 && departments_known &&
        departments.size() < 2) {
      f_.error(
          *m.stages_at, field(m, "stages"),
          fmt::format("a joint matter needs stages in at least two departments, all are in '{}'",
                      out_.departments[*departments.begin()].id));
    }
  }

  void check_escalation(const RawMatter& m, Matter& matter) {
    const MatterKind kind = m.kind->value;
    if (kind != MatterKind::escalated) {
      if (m.escalate_to) {
        f_.error(m.escalate_to->at, field(m, "escalate_to"),
                 fmt::format("only an escalated matter has escalate_to, this one is {}",
                             to_string(kind)));
      }
      return;
    }
    if (!m.escalate_to) {
      if (!m.reported("escalate_to")) {
        f_.error(m.at, m.path, "missing required field 'escalate_to' for an escalated matter");
      }
      return;
    }
    matter.escalate_to = resolve(m, "escalate_to", m.escalate_to, out_.post_index, "post");
    const auto level =
        level_of(matter.escalate_to ? post_office_[index_of(*matter.escalate_to)] : std::nullopt);
    if (level && m.level && *level <= m.level->value) {
      f_.error(m.escalate_to->at, field(m, "escalate_to"),
               fmt::format("post '{}' is at a {} office, not above the matter's {} level",
                           m.escalate_to->value, to_string(*level), to_string(m.level->value)));
    }
  }

  // Where a delegation comes from (which must be where the matter is implemented) and
  // goes to (a township below it). Returns the township if it is known.
  std::optional<OfficeRef> check_parties(const RawDelegation& d, Delegation& out,
                                         std::optional<MatterRef> matter) {
    std::optional<DepartmentRef> matter_department;
    if (matter) matter_department = matter_department_[index_of(*matter)];
    std::optional<OfficeRef> from;
    if (d.from_department) {
      out.from_department =
          resolve(d, "from.department", d.from_department, out_.department_index, "department");
      if (out.from_department) from = department_office_[index_of(*out.from_department)];
      if (out.from_department && matter_department && *matter_department != *out.from_department) {
        f_.error(d.from_department->at, field(d, "from.department"),
                 fmt::format("matter '{}' belongs to department '{}', not '{}'", d.matter->value,
                             out_.departments[index_of(*matter_department)].id,
                             d.from_department->value));
      }
    } else if (d.from_office) {
      from = resolve(d, "from.office", d.from_office, out_.office_index, "office");
      const auto matter_office =
          matter_department ? department_office_[index_of(*matter_department)] : std::nullopt;
      if (from && matter_office && *matter_office != *from) {
        f_.error(d.from_office->at, field(d, "from.office"),
                 fmt::format("matter '{}' is implemented at office '{}', not '{}'", d.matter->value,
                             out_.offices[index_of(*matter_office)].id, d.from_office->value));
      }
    }
    const auto township = resolve(d, "township", d.township, out_.office_index, "office");
    out.from_office = from.value_or(OfficeRef{});
    out.township = township.value_or(OfficeRef{});
    const auto level = level_of(township);
    if (level && *level != Level::township) {
      f_.error(d.township->at, field(d, "township"),
               fmt::format("office '{}' is a {} office, not a township", d.township->value,
                           to_string(*level)));
    } else if (level && from && !is_below(out_.offices, *township, *from)) {
      f_.error(d.township->at, field(d, "township"),
               fmt::format("township '{}' is not under the delegating office '{}'",
                           d.township->value, out_.offices[index_of(*from)].id));
    }
    return township;
  }

  void check_delegation(const RawDelegation& d) {
    const std::size_t i = out_.delegations.size();
    Delegation delegation;
    delegation.id = text(d.id);
    delegation.document = d.document;
    const auto matter = resolve(d, "matter", d.matter, out_.matter_index, "matter");
    delegation.matter = matter.value_or(MatterRef{});
    const auto township = check_parties(d, delegation, matter);
    if (d.mode) delegation.mode = d.mode->value;
    if (d.valid_from) delegation.valid_from = d.valid_from->value;
    if (d.valid_until) delegation.valid_until = d.valid_until->value;
    const bool term_known =
        d.valid_from && d.valid_until && delegation.valid_until >= delegation.valid_from;
    if (d.valid_from && d.valid_until && !term_known) {
      f_.error(d.valid_until->at, field(d, "valid_until"),
               fmt::format("{} is before valid_from {}", delegation.valid_until.to_string(),
                           delegation.valid_from.to_string()));
    }
    if (d.mode && d.mode->value == DelegationMode::full && !d.post && !d.reported("post")) {
      f_.error(d.at, d.path, "missing required field 'post' for a full delegation");
    }
    delegation.post = resolve(d, "post", d.post, out_.post_index, "post");
    const auto post_office =
        delegation.post ? post_office_[index_of(*delegation.post)] : std::nullopt;
    if (post_office && township && *post_office != *township) {
      f_.error(d.post->at, field(d, "post"),
               fmt::format("post '{}' is not at township '{}'", d.post->value, d.township->value));
    }
    // delegation_in_force must have one answer: terms of the same matter and township
    // may not overlap.
    if (matter && township && term_known) {
      terms_known_[i] = true;
      for (const DelegationRef ref : out_.delegations_by_matter[index_of(*matter)]) {
        const Delegation& other = out_.delegations[index_of(ref)];
        if (!terms_known_[index_of(ref)] || other.township != *township) continue;
        if (other.valid_from <= delegation.valid_until &&
            delegation.valid_from <= other.valid_until) {
          f_.error(
              d.valid_from->at, field(d, "valid_from"),
              fmt::format("term {} to {} overlaps delegation '{}' ({} to {}) of the same matter to "
                          "the same township",
                          delegation.valid_from.to_string(), delegation.valid_until.to_string(),
                          other.id, other.valid_from.to_string(), other.valid_until.to_string()));
          terms_known_[i] = false;
          break;
        }
      }
    }
    out_.delegations.push_back(std::move(delegation));
    if (matter) {
      out_.delegations_by_matter[index_of(*matter)].push_back(
          DelegationRef{static_cast<std::uint32_t>(i)});
    }
  }

  // A gap between consecutive terms of the same matter and township is legal but worth a
  // warning: new cases in it go back to the delegator. (A warning about terms that have
  // already ended would need today's date, and loading must not read the clock.)
  void warn_of_gaps() {
    for (const std::vector<DelegationRef>& refs : out_.delegations_by_matter) {
      std::vector<std::uint32_t> terms;
      for (const DelegationRef ref : refs) {
        if (terms_known_[index_of(ref)]) terms.push_back(index_of(ref));
      }
      std::sort(terms.begin(), terms.end(), [&](std::uint32_t x, std::uint32_t y) {
        return std::tie(out_.delegations[x].township, out_.delegations[x].valid_from) <
               std::tie(out_.delegations[y].township, out_.delegations[y].valid_from);
      });
      for (std::size_t k = 1; k < terms.size(); ++k) {
        const Delegation& before = out_.delegations[terms[k - 1]];
        const Delegation& after = out_.delegations[terms[k]];
        const std::int32_t gap = after.valid_from - before.valid_until - 1;
        if (before.township != after.township || gap <= 0) continue;
        const RawDelegation& d = raw_.delegations[terms[k]];
        f_.warning(d.valid_from->at, field(d, "valid_from"),
                   fmt::format("{} day{} without delegation after '{}' ended on {}", gap,
                               gap == 1 ? "" : "s", before.id, before.valid_until.to_string()));
      }
    }
  }

  std::vector<bool> terms_known_;  // delegation has a matter, township and sane, unique term
  bool cap_known_ = true;
};

}  // namespace

std::shared_ptr<const RuleData> validate_rules(RawRuleSet raw, const std::filesystem::path& dir) {
  auto data = std::make_shared<RuleData>();
  Validator(raw, *data).run();
  if (const std::size_t errors = raw.findings.error_count(); errors > 0) {
    throw Error(
        ErrorCode::rules_invalid,
        fmt::format("rule set {} has {} problem{}", dir.string(), errors, errors == 1 ? "" : "s"),
        raw.findings.take_errors());
  }
  data->version = std::move(raw.version);
  data->files = std::move(raw.files);
  data->warnings = raw.findings.take_warnings();
  return data;
}

}  // namespace workflow::detail
