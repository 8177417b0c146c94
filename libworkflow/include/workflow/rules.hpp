// The hall's rules as plain, validated value types: the office tree, departments, posts with
// their A/B holders, staff, matters of the implementation list (实施清单), county→township
// delegations, 一件事一次办 bundles and the local policy settings. See docs/rules.md for the
// YAML format these are loaded from. The value types are plain data, safe to copy between
// threads; a RuleSet hands them out as const references into its immutable tables.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "workflow/date.hpp"
#include "workflow/error.hpp"
#include "workflow/export.hpp"

namespace workflow {

namespace detail {
struct RuleData;
}

// Interned references: an index into the owning RuleSet's table. Strong types so a post
// index cannot be passed where an office is meant; 4 bytes each, for compact cases.
enum class OfficeRef : std::uint32_t {};
enum class DepartmentRef : std::uint32_t {};
enum class StaffRef : std::uint32_t {};
enum class PostRef : std::uint32_t {};
enum class MatterRef : std::uint32_t {};
enum class DelegationRef : std::uint32_t {};
enum class BundleRef : std::uint32_t {};

template <class Ref>
constexpr std::uint32_t index_of(Ref ref) noexcept {
  return static_cast<std::uint32_t>(ref);
}

// Administrative level of an office, lowest first, so `a < b` means "a is below b".
enum class Level : std::uint8_t { village, township, county, city, province };

// The kind of a matter: a fixed attribute of the matter, never chosen per application.
enum class MatterKind : std::uint8_t {
  instant,    // 即办件: decided on the spot by the accepting window
  committed,  // 承诺件: back office reviews and decides within the promised limit
  escalated,  // 上报件: reviewed here, decided by a higher-level office
  joint,      // 联办件: several departments give opinions in parallel
};

// How much of a delegated matter the township does (see domain.md, 委托/赋权).
enum class DelegationMode : std::uint8_t {
  window_forward,  // township accepts and issues; the county does the rest
  partial,         // township accepts, pre-reviews and issues; the county reviews and decides
  full,            // township does everything, in the delegating department's name
};

// What a post is for in the hall.
enum class PostRole : std::uint8_t {
  window,       // comprehensive or specialist window: accepts, pre-reviews, issues
  back_office,  // a department's back-office reviewer or decider
  unresolved,   // 办不成事窗口: cases no post can take go here for coordination
  agent,        // 帮办代办员 at a village station: submits on a resident's behalf
  policy,       // 惠企政策兑现窗口 and other counters that accept no cases
};

WORKFLOW_EXPORT std::string_view to_string(Level level) noexcept;
WORKFLOW_EXPORT std::string_view to_string(MatterKind kind) noexcept;
WORKFLOW_EXPORT std::string_view to_string(DelegationMode mode) noexcept;
WORKFLOW_EXPORT std::string_view to_string(PostRole role) noexcept;

struct WORKFLOW_EXPORT Office {
  std::string id;
  std::string name;
  Level level = Level::county;
  std::optional<OfficeRef> parent;  // absent only for the root(s) of the tree
};

struct WORKFLOW_EXPORT Department {
  std::string id;
  std::string name;
  OfficeRef office{};  // where the department sits (a county bureau, a township office)
};

struct WORKFLOW_EXPORT Staff {
  std::string id;
  std::string name;
  OfficeRef office{};
};

// A post (岗位) under the AB post rule: the A holder acts, the B holder covers while A is
// away. A and B are always different people.
struct WORKFLOW_EXPORT Post {
  std::string id;
  std::string name;
  OfficeRef office{};
  DepartmentRef department{};
  PostRole role = PostRole::window;
  StaffRef a{};
  StaffRef b{};
  std::optional<PostRef> supervisor;  // a post that may also act on this post's work
  bool approves_extensions = false;   // may approve the one §42 extension of a case
  // The hall's duty officer (值班长): may record anyone's absence on the status board of this
  // office and the offices below it. The person themselves and the leader of their unit (the
  // supervisor of a post they hold) may always.
  bool keeps_status_board = false;
  // The centre's supervision office (督查室, 电子监察) or a leader: may issue supervision
  // orders (督办) on the cases of this office and the offices below it, and close or escalate
  // them. Default: false.
  bool issues_orders = false;
  // The unit's leader: may move a stage held by any post of this post's department to
  // another post of that department (改派). A stage's supervisor may always. Default: false.
  bool reassigns = false;
  // May send a case to the 办不成事反映窗口 of its office (or the nearest above) with a
  // reason (send_unresolved): a window post, or a post that supervises another. Default:
  // false.
  bool sends_unresolved = false;
};

struct WORKFLOW_EXPORT Material {
  std::string name;
  bool tolerable = false;  // 容缺-eligible: may be supplied after acceptance
};

// One back-office stage: who does it. For a joint matter the stages run in parallel, one
// opinion each, and `share_days` is that department's share of the time (0 = the whole
// promised limit); for other kinds stages run in order and share_days, where given, is the
// stage's own time (环节时限): an overrun is a stage_overdue event, and the shares of ordered
// stages add up to at most the promised limit.
struct WORKFLOW_EXPORT Stage {
  std::string name;
  PostRef post{};
  int share_days = 0;
};

struct WORKFLOW_EXPORT Matter {
  std::string code;   // opaque implementation code (实施编码); unique in the rule set
  std::string name;
  std::string basis;  // 设定依据
  DepartmentRef department{};
  Level level = Level::county;  // implementing level; equals the department's office level
  MatterKind kind = MatterKind::committed;
  int legal_limit = 0;     // working days (法定时限); 0 for instant matters
  int promised_limit = 0;  // working days (承诺时限); 0 for instant matters
  // Most working days the one §42 extension may add, approved by a post with
  // approves_extensions in the deciding department: 10 for a single organ (§42 ¶1), 15 for
  // joint handling (§42 ¶2); 0 = not extendable (always for instant matters). Default: the
  // policy's extension_max_days (10), 15 for joint matters.
  int extension_days = 0;
  std::vector<Material> materials;
  std::vector<Stage> stages;            // ordered back-office stages (parallel for joint)
  std::optional<PostRef> escalate_to;   // escalated: the higher-level post that decides
  std::int64_t fee_fen = 0;             // fee in fen (分); 0 = free of charge
  bool deemed_approval = false;         // 超时默许: a silent department is deemed to agree
  bool promise_approval = false;        // 告知承诺制 allowed
  // 告知承诺: working days after an approval on commitment within which the organ verifies
  // the commitment (国办发〔2020〕42号). Only with promise_approval. Default: the policy's
  // promise_verification_days; 0 for matters without promise_approval.
  int promise_verification_days = 0;
  bool village_proxy = false;           // village agents may submit it for residents
  // 跨域通办: may be handed in at any office's window and is handled by its own office; the
  // result is issued where the applicant asks
  bool cross_region = false;
};

struct WORKFLOW_EXPORT Delegation {
  std::string id;
  MatterRef matter{};
  OfficeRef from_office{};                    // the delegating office (the county)
  std::optional<DepartmentRef> from_department;  // the delegating department, if named
  OfficeRef township{};
  DelegationMode mode = DelegationMode::partial;
  Date valid_from;
  Date valid_until;           // inclusive: the last day the delegation is in force
  std::optional<PostRef> post;  // township post that does the delegated back-office work (full)
  std::string document;       // the published delegation document

  bool in_force(Date day) const noexcept { return valid_from <= day && day <= valid_until; }
};

// 一件事一次办: one "thing" of a person's or firm's life that bundles several matters of
// several departments: one submission, one form, one set of materials; the parts run in
// parallel and the bundle is done when every part is.
struct WORKFLOW_EXPORT Bundle {
  std::string id;
  std::string name;
  OfficeRef office{};              // the office whose windows accept the bundle
  std::vector<MatterRef> matters;  // the parts, in rule order: at least two, all distinct
  int promised_limit = 0;          // working days: the bundle's own promise (>= 1)
};

// Local settings that differ from place to place. Every default is the one in domain.md.
struct WORKFLOW_EXPORT Policy {
  // Promised limit may be at most this fraction of the legal limit. Default 0.5.
  double promised_ratio_cap = 0.5;
  // Working days allowed to give the one complete notice of missing materials (§32).
  // Default 5.
  int notify_missing_days = 5;
  // Yellow light when at most this many working days are left before the promised
  // deadline. Default 1.
  int yellow_days_left = 1;
  // Yellow light also when this fraction of the promised time is used; 0 disables it.
  // Default 0 (only yellow_days_left applies).
  double yellow_used_fraction = 0.0;
  // Working days a 容缺 applicant has to supply the missing materials. Default 5.
  int tolerance_supplement_days = 5;
  // Working days to verify, rectify and call back after a bad rating. Default 5.
  int rectification_days = 5;
  // Most working days the one extension of a case may add (§42: 10). Default 10.
  int extension_max_days = 10;
  // Working days the lower level has to review an escalated case (§43: 20). Default 20.
  int escalation_review_days = 20;
  // Working days after an approval within which the licence is issued (§44: 10). Default 10.
  int issue_days = 10;
  // Working days after an approval on commitment (告知承诺) within which the organ verifies
  // the commitment, unless the matter sets its own. A local choice (国办发〔2020〕42号 leaves
  // it to the rules). Default 20.
  int promise_verification_days = 20;
  // Working days a unit has to reply to a supervision order (督办), unless the order sets its
  // own. A local choice. Default 5.
  int order_reply_days = 5;
  // Working days a unit is given to settle a case the 办不成事反映窗口 hands it
  // (hand_to_unit), unless the window gives its own. A local choice. Default 10.
  int unresolved_settle_days = 10;
  // Required length of matter codes; 0 accepts any length. Default 0.
  int matter_code_length = 0;
};

// One rule file as read: its name (no directory) and its bytes. A store keeps the files of
// every rule set its cases ran under, so the store alone can explain any case.
struct WORKFLOW_EXPORT RuleFile {
  std::string name;
  std::string text;
};

// A loaded rule set: immutable, versioned by a SHA-256 over its files' contents.
//
// A RuleSet is safe for concurrent access from multiple threads without any external
// synchronization; copies share the same data.
class WORKFLOW_EXPORT RuleSet {
 public:
  // Loads every "*.yaml" / "*.yml" file directly in `dir`, in name order, checks all of
  // them in one pass and returns the set only if no problem is an error. Otherwise throws
  // Error(rules_invalid) whose diagnostics() holds every problem with file:line:column.
  // Throws Error(io_error) if `dir` is not a readable directory.
  static RuleSet load(const std::filesystem::path& dir);
  // The same over files already in memory (for example a store's copy): the version is the
  // same as load() gives for a directory holding exactly these files. `origin` prefixes the
  // file names in diagnostics. Throws Error(rules_invalid) like load().
  static RuleSet from_files(std::vector<RuleFile> files, const std::filesystem::path& origin);

  // Lowercase hex SHA-256 over the files' names and bytes: a case remembers it.
  const std::string& version() const noexcept;
  // The files the set was read from, in name order.
  std::span<const RuleFile> files() const noexcept;
  const Policy& policy() const noexcept;
  // Non-fatal findings of the load (e.g. a delegation that has already expired).
  const std::vector<Diagnostic>& warnings() const noexcept;

  std::span<const Office> offices() const noexcept;
  std::span<const Department> departments() const noexcept;
  std::span<const Staff> staff() const noexcept;
  std::span<const Post> posts() const noexcept;
  std::span<const Matter> matters() const noexcept;
  std::span<const Delegation> delegations() const noexcept;
  std::span<const Bundle> bundles() const noexcept;

  const Office& office(OfficeRef ref) const noexcept;
  const Department& department(DepartmentRef ref) const noexcept;
  const Staff& staff(StaffRef ref) const noexcept;
  const Post& post(PostRef ref) const noexcept;
  const Matter& matter(MatterRef ref) const noexcept;
  const Delegation& delegation(DelegationRef ref) const noexcept;
  const Bundle& bundle(BundleRef ref) const noexcept;

  // Look-ups by id (matters by code); nullopt if unknown.
  std::optional<OfficeRef> find_office(std::string_view id) const noexcept;
  std::optional<DepartmentRef> find_department(std::string_view id) const noexcept;
  std::optional<StaffRef> find_staff(std::string_view id) const noexcept;
  std::optional<PostRef> find_post(std::string_view id) const noexcept;
  std::optional<MatterRef> find_matter(std::string_view code) const noexcept;
  std::optional<DelegationRef> find_delegation(std::string_view id) const noexcept;
  std::optional<BundleRef> find_bundle(std::string_view id) const noexcept;

  // The delegation of `matter` to `township` in force on `day`, if any.
  std::optional<DelegationRef> delegation_in_force(MatterRef matter, OfficeRef township,
                                                   Date day) const noexcept;

 private:
  explicit RuleSet(std::shared_ptr<const detail::RuleData> data) noexcept;
  friend struct detail::RuleData;
  std::shared_ptr<const detail::RuleData> data_;
};

}  // namespace workflow
