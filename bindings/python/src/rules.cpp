// workflow.RuleSet and read-only views of its entries (offices, departments, staff, posts,
// matters, delegations, bundles). The C++ entries hold interned
// references (OfficeRef, PostRef...); here they are resolved to the ids the rule files use,
// so a script never sees an index.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common.hpp"
#include "handles.hpp"

namespace workflow::python {
namespace {

struct OfficeInfo {
  std::string id, name, level;
  std::optional<std::string> parent;
};
struct DepartmentInfo {
  std::string id, name, office;
};
struct StaffInfo {
  std::string id, name, office;
};
struct PostInfo {
  std::string id, name, office, department, role, a, b;
  std::optional<std::string> supervisor;
  bool approves_extensions = false;
  bool issues_orders = false;
  bool reassigns = false;
  bool sends_unresolved = false;
};
struct StageInfo {
  std::string name, post;
  int share_days = 0;
};
struct MatterInfo {
  std::string code, name, basis, department, level, kind;
  int legal_limit = 0, promised_limit = 0;
  std::vector<std::string> materials, tolerable_materials;
  std::vector<StageInfo> stages;
  std::optional<std::string> escalate_to;
  std::int64_t fee_fen = 0;
  bool deemed_approval = false, promise_approval = false, village_proxy = false,
       cross_region = false;
  int promise_verification_days = 0;
};
struct DelegationInfo {
  std::string id, matter, from_office;
  std::optional<std::string> from_department;
  std::string township, mode;
  Date valid_from, valid_until;
  std::optional<std::string> post;
  std::string document;
};
struct BundleInfo {
  std::string id, name, office;
  std::vector<std::string> matters;
  int promised_limit = 0;
};

OfficeInfo info(const RuleSet& r, const Office& o) {
  OfficeInfo out{o.id, o.name, name(o.level), std::nullopt};
  if (o.parent) out.parent = r.office(*o.parent).id;
  return out;
}
DepartmentInfo info(const RuleSet& r, const Department& d) {
  return {d.id, d.name, r.office(d.office).id};
}
StaffInfo info(const RuleSet& r, const Staff& s) { return {s.id, s.name, r.office(s.office).id}; }
PostInfo info(const RuleSet& r, const Post& p) {
  PostInfo out{p.id, p.name, r.office(p.office).id, r.department(p.department).id, name(p.role),
               r.staff(p.a).id, r.staff(p.b).id, std::nullopt, p.approves_extensions,
               p.issues_orders, p.reassigns, p.sends_unresolved};
  if (p.supervisor) out.supervisor = r.post(*p.supervisor).id;
  return out;
}
MatterInfo info(const RuleSet& r, const Matter& m) {
  MatterInfo out;
  out.code = m.code;
  out.name = m.name;
  out.basis = m.basis;
  out.department = r.department(m.department).id;
  out.level = name(m.level);
  out.kind = name(m.kind);
  out.legal_limit = m.legal_limit;
  out.promised_limit = m.promised_limit;
  for (const Material& mat : m.materials) {
    out.materials.push_back(mat.name);
    if (mat.tolerable) out.tolerable_materials.push_back(mat.name);
  }
  for (const Stage& s : m.stages) out.stages.push_back({s.name, r.post(s.post).id, s.share_days});
  if (m.escalate_to) out.escalate_to = r.post(*m.escalate_to).id;
  out.fee_fen = m.fee_fen;
  out.deemed_approval = m.deemed_approval;
  out.promise_approval = m.promise_approval;
  out.promise_verification_days = m.promise_verification_days;
  out.village_proxy = m.village_proxy;
  out.cross_region = m.cross_region;
  return out;
}
DelegationInfo info(const RuleSet& r, const Delegation& d) {
  DelegationInfo out{d.id, r.matter(d.matter).code, r.office(d.from_office).id, std::nullopt,
                     r.office(d.township).id, name(d.mode), d.valid_from, d.valid_until,
                     std::nullopt, d.document};
  if (d.from_department) out.from_department = r.department(*d.from_department).id;
  if (d.post) out.post = r.post(*d.post).id;
  return out;
}

BundleInfo info(const RuleSet& r, const Bundle& b) {
  BundleInfo out{b.id, b.name, r.office(b.office).id, {}, b.promised_limit};
  for (MatterRef m : b.matters) out.matters.push_back(r.matter(m).code);
  return out;
}

template <class T>
auto all(const LoadedRules& l, std::span<const T> entries) {
  std::vector<decltype(info(l.rules, entries.front()))> out;
  for (const T& e : entries) out.push_back(info(l.rules, e));
  return out;
}

// One id look-up: the entry, or NotFound naming the kind and the id.
template <class Find, class Get>
auto lookup(const LoadedRules& l, Find find, Get get, const std::string& id, const char* kind) {
  const auto ref = find(l.rules, id);
  if (!ref) throw Error(ErrorCode::not_found, std::string("unknown ") + kind + " '" + id + "'");
  return info(l.rules, get(l.rules, *ref));
}

py::dict policy_of(const Policy& p) {
  py::dict d;
  d["promised_ratio_cap"] = p.promised_ratio_cap;
  d["notify_missing_days"] = p.notify_missing_days;
  d["yellow_days_left"] = p.yellow_days_left;
  d["yellow_used_fraction"] = p.yellow_used_fraction;
  d["tolerance_supplement_days"] = p.tolerance_supplement_days;
  d["rectification_days"] = p.rectification_days;
  d["extension_max_days"] = p.extension_max_days;
  d["escalation_review_days"] = p.escalation_review_days;
  d["issue_days"] = p.issue_days;
  d["promise_verification_days"] = p.promise_verification_days;
  d["order_reply_days"] = p.order_reply_days;
  d["unresolved_settle_days"] = p.unresolved_settle_days;
  d["matter_code_length"] = p.matter_code_length;
  return d;
}

std::string repr(const char* kind, const std::string& id, const std::string& name) {
  return std::string("<") + kind + " " + id + " " + name + ">";
}

void bind_entries(py::module_& m) {
  py::class_<OfficeInfo>(m, "Office", "An office of the tree (county, township, village...).")
      .def_readonly("id", &OfficeInfo::id)
      .def_readonly("name", &OfficeInfo::name)
      .def_readonly("level", &OfficeInfo::level, "'village', 'township', 'county', 'city' or 'province'.")
      .def_readonly("parent", &OfficeInfo::parent, "Parent office id, None for a root.")
      .def("__repr__", [](const OfficeInfo& o) { return repr("Office", o.id, o.name); });
  py::class_<DepartmentInfo>(m, "Department", "A department and the office it sits at.")
      .def_readonly("id", &DepartmentInfo::id)
      .def_readonly("name", &DepartmentInfo::name)
      .def_readonly("office", &DepartmentInfo::office)
      .def("__repr__",
           [](const DepartmentInfo& d) { return repr("Department", d.id, d.name); });
  py::class_<StaffInfo>(m, "StaffMember", "A member of staff and the office they work at.")
      .def_readonly("id", &StaffInfo::id)
      .def_readonly("name", &StaffInfo::name)
      .def_readonly("office", &StaffInfo::office)
      .def("__repr__", [](const StaffInfo& s) { return repr("StaffMember", s.id, s.name); });
  py::class_<PostInfo>(m, "Post", "A post (岗位) with its A and B holders.")
      .def_readonly("id", &PostInfo::id)
      .def_readonly("name", &PostInfo::name)
      .def_readonly("office", &PostInfo::office)
      .def_readonly("department", &PostInfo::department)
      .def_readonly("role", &PostInfo::role,
                    "'window', 'back_office', 'unresolved', 'agent' or 'policy'.")
      .def_readonly("a", &PostInfo::a, "Staff id of the A holder.")
      .def_readonly("b", &PostInfo::b, "Staff id of the B holder.")
      .def_readonly("supervisor", &PostInfo::supervisor)
      .def_readonly("approves_extensions", &PostInfo::approves_extensions)
      .def_readonly("issues_orders", &PostInfo::issues_orders,
                    "May issue supervision orders (督办) over its office and those below.")
      .def_readonly("reassigns", &PostInfo::reassigns,
                    "The unit's leader: may move its unit's stages between posts (改派).")
      .def_readonly("sends_unresolved", &PostInfo::sends_unresolved,
                    "May send a case to the 办不成事反映窗口 (send_unresolved).")
      .def("__repr__", [](const PostInfo& p) { return repr("Post", p.id, p.name); });
  py::class_<StageInfo>(m, "Stage", "A back-office stage of a matter: who does it and its share of the time.")
      .def_readonly("name", &StageInfo::name)
      .def_readonly("post", &StageInfo::post)
      .def_readonly("share_days", &StageInfo::share_days);
  py::class_<MatterInfo>(m, "Matter", "A matter (事项) of the implementation list.")
      .def_readonly("code", &MatterInfo::code)
      .def_readonly("name", &MatterInfo::name)
      .def_readonly("basis", &MatterInfo::basis)
      .def_readonly("department", &MatterInfo::department)
      .def_readonly("level", &MatterInfo::level)
      .def_readonly("kind", &MatterInfo::kind, "'instant', 'committed', 'escalated' or 'joint'.")
      .def_readonly("legal_limit", &MatterInfo::legal_limit, "Working days (法定时限).")
      .def_readonly("promised_limit", &MatterInfo::promised_limit, "Working days (承诺时限).")
      .def_readonly("materials", &MatterInfo::materials, "Every material, in the rule file's order.")
      .def_readonly("tolerable_materials", &MatterInfo::tolerable_materials,
                    "The 容缺-eligible ones among them.")
      .def_readonly("stages", &MatterInfo::stages)
      .def_readonly("escalate_to", &MatterInfo::escalate_to)
      .def_readonly("fee_fen", &MatterInfo::fee_fen, "Fee in fen (分); 0 = free.")
      .def_readonly("deemed_approval", &MatterInfo::deemed_approval)
      .def_readonly("promise_approval", &MatterInfo::promise_approval)
      .def_readonly("promise_verification_days", &MatterInfo::promise_verification_days,
                    "告知承诺: working days to verify the commitment after an approval on it\n"
                    "(0 without promise_approval).")
      .def_readonly("village_proxy", &MatterInfo::village_proxy)
      .def_readonly("cross_region", &MatterInfo::cross_region,
                    "跨域通办: may be handed in at any office's window; handled by its own office,\n"
                    "issued where the applicant asks.")
      .def("__repr__", [](const MatterInfo& x) { return repr("Matter", x.code, x.name); });
  py::class_<DelegationInfo>(m, "Delegation", "A county→township delegation (委托/赋权).")
      .def_readonly("id", &DelegationInfo::id)
      .def_readonly("matter", &DelegationInfo::matter)
      .def_readonly("from_office", &DelegationInfo::from_office)
      .def_readonly("from_department", &DelegationInfo::from_department)
      .def_readonly("township", &DelegationInfo::township)
      .def_readonly("mode", &DelegationInfo::mode, "'window_forward', 'partial' or 'full'.")
      .def_readonly("valid_from", &DelegationInfo::valid_from)
      .def_readonly("valid_until", &DelegationInfo::valid_until, "Inclusive.")
      .def_readonly("post", &DelegationInfo::post)
      .def_readonly("document", &DelegationInfo::document)
      .def("__repr__",
           [](const DelegationInfo& d) { return repr("Delegation", d.id, d.mode); });
  py::class_<BundleInfo>(m, "Bundle",
                         "一件事一次办: several matters of several departments taken in as one\n"
                         "application at one office's windows (Engine.submit_bundle).")
      .def_readonly("id", &BundleInfo::id)
      .def_readonly("name", &BundleInfo::name)
      .def_readonly("office", &BundleInfo::office, "The office whose windows accept it.")
      .def_readonly("matters", &BundleInfo::matters, "Matter codes of the parts, in order.")
      .def_readonly("promised_limit", &BundleInfo::promised_limit,
                    "Working days the bundle promises as a whole.")
      .def("__repr__", [](const BundleInfo& b) { return repr("Bundle", b.id, b.name); });
}

}  // namespace

void bind_rules(py::module_& m) {
  bind_entries(m);
  py::class_<LoadedRules>(m, "RuleSet",
                          "A loaded, validated rule set of one hall system (workflow.load_rules).")
      .def_static(
          "load",
          [](const Path& dir) {
            py::gil_scoped_release unlocked;
            return loading(dir, [&] { return LoadedRules{RuleSet::load(dir), dir}; });
          },
          py::arg("dir"),
          "Loads every *.yaml/*.yml file of `dir`. Raises RuleError with every problem in\n"
          ".diagnostics, or FileError if `dir` is not a readable directory.")
      .def_readonly("directory", &LoadedRules::directory, "The directory it was loaded from.")
      .def_property_readonly(
          "files",
          [](const LoadedRules& l) {
            py::dict d;
            for (const RuleFile& f : l.rules.files()) d[py::str(f.name)] = py::str(f.text);
            return d;
          },
          "{file name: text} of the files the version hashes, in name order.")
      .def_property_readonly("version", [](const LoadedRules& l) { return l.rules.version(); },
                             "SHA-256 over the rule files (a case records it).")
      .def_property_readonly("policy", [](const LoadedRules& l) { return policy_of(l.rules.policy()); },
                             "The policy settings, defaults filled in.")
      .def_property_readonly("warnings", [](const LoadedRules& l) { return l.rules.warnings(); },
                             "Non-fatal findings of the load (list of Diagnostic).")
      .def_property_readonly("offices", [](const LoadedRules& l) { return all(l, l.rules.offices()); })
      .def_property_readonly("departments",
                             [](const LoadedRules& l) { return all(l, l.rules.departments()); })
      .def_property_readonly("staff", [](const LoadedRules& l) { return all(l, l.rules.staff()); })
      .def_property_readonly("posts", [](const LoadedRules& l) { return all(l, l.rules.posts()); })
      .def_property_readonly("matters", [](const LoadedRules& l) { return all(l, l.rules.matters()); })
      .def_property_readonly("delegations",
                             [](const LoadedRules& l) { return all(l, l.rules.delegations()); })
      .def_property_readonly("bundles",
                             [](const LoadedRules& l) { return all(l, l.rules.bundles()); })
      .def(
          "office",
          [](const LoadedRules& l, const std::string& id) {
            return lookup(l, [](const RuleSet& r, auto& i) { return r.find_office(i); },
                          [](const RuleSet& r, auto ref) -> auto& { return r.office(ref); }, id, "office");
          },
          py::arg("id"), "The office with this id; NotFound if unknown.")
      .def(
          "department",
          [](const LoadedRules& l, const std::string& id) {
            return lookup(l, [](const RuleSet& r, auto& i) { return r.find_department(i); },
                          [](const RuleSet& r, auto ref) -> auto& { return r.department(ref); }, id,
                          "department");
          },
          py::arg("id"), "The department with this id; NotFound if unknown.")
      .def(
          "staff_member",
          [](const LoadedRules& l, const std::string& id) {
            return lookup(l, [](const RuleSet& r, auto& i) { return r.find_staff(i); },
                          [](const RuleSet& r, auto ref) -> auto& { return r.staff(ref); }, id, "staff");
          },
          py::arg("id"), "The staff member with this id; NotFound if unknown.")
      .def(
          "post",
          [](const LoadedRules& l, const std::string& id) {
            return lookup(l, [](const RuleSet& r, auto& i) { return r.find_post(i); },
                          [](const RuleSet& r, auto ref) -> auto& { return r.post(ref); }, id, "post");
          },
          py::arg("id"), "The post with this id; NotFound if unknown.")
      .def(
          "matter",
          [](const LoadedRules& l, const std::string& code) {
            return lookup(l, [](const RuleSet& r, auto& i) { return r.find_matter(i); },
                          [](const RuleSet& r, auto ref) -> auto& { return r.matter(ref); }, code,
                          "matter");
          },
          py::arg("code"), "The matter with this code; NotFound if unknown.")
      .def(
          "bundle",
          [](const LoadedRules& l, const std::string& id) {
            return lookup(l, [](const RuleSet& r, auto& i) { return r.find_bundle(i); },
                          [](const RuleSet& r, auto ref) -> auto& { return r.bundle(ref); }, id,
                          "bundle");
          },
          py::arg("id"), "The bundle with this id; NotFound if unknown.")
      .def(
          "delegation_in_force",
          [](const LoadedRules& l, const std::string& matter, const std::string& township,
             Date day) -> std::optional<DelegationInfo> {
            const auto mref = l.rules.find_matter(matter);
            if (!mref) throw Error(ErrorCode::not_found, "unknown matter '" + matter + "'");
            const auto oref = l.rules.find_office(township);
            if (!oref) throw Error(ErrorCode::not_found, "unknown office '" + township + "'");
            const auto d = l.rules.delegation_in_force(*mref, *oref, day);
            if (!d) return std::nullopt;
            return info(l.rules, l.rules.delegation(*d));
          },
          py::arg("matter"), py::arg("township"), py::arg("day"),
          "The delegation of `matter` to `township` in force on `day`, or None.")
      .def("__repr__", [](const LoadedRules& l) {
        return "<RuleSet " + l.directory.string() + " " + l.rules.version().substr(0, 12) + ">";
      });
}

}  // namespace workflow::python
