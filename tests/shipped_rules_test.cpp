// The shipped example rule sets (rules/ningdu, rules/sandu) load cleanly and say what the
// seed documents say: window counts, the pilot townships, village AB agents, the seed's
// time-limit targets, escalation to the city, delegation modes and terms, the 企业开办 bundle,
// the 跨域通办 matters and 三都镇's window list. Every check reads the loaded set, so a wrong
// number in a YAML file fails here.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "workflow/error.hpp"
#include "workflow/rules.hpp"

using namespace workflow;

namespace {

const std::filesystem::path kRules = std::filesystem::path(WORKFLOW_SOURCE_DIR) / "rules";

// Loads a shipped set; on failure prints every diagnostic so the broken line is obvious.
RuleSet load_shipped(const char* name) {
  try {
    return RuleSet::load(kRules / name);
  } catch (const Error& e) {
    for (const Diagnostic& d : e.diagnostics()) MESSAGE(d.to_string());
    FAIL("rules/" << std::string(name) << " does not load: " << std::string(e.what()));
    throw;
  }
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

OfficeRef office(const RuleSet& rules, std::string_view id) {
  const auto ref = rules.find_office(id);
  REQUIRE_MESSAGE(ref.has_value(), "no office " << std::string(id));
  return *ref;
}

const Matter& matter(const RuleSet& rules, std::string_view code) {
  const auto ref = rules.find_matter(code);
  REQUIRE_MESSAGE(ref.has_value(), "no matter " << std::string(code));
  return rules.matter(*ref);
}

std::vector<const Post*> posts_at(const RuleSet& rules, OfficeRef at) {
  std::vector<const Post*> out;
  for (const Post& p : rules.posts()) {
    if (p.office == at) out.push_back(&p);
  }
  return out;
}

std::vector<const Office*> children(const RuleSet& rules, OfficeRef parent) {
  std::vector<const Office*> out;
  for (const Office& o : rules.offices()) {
    if (o.parent == parent) out.push_back(&o);
  }
  return out;
}

Level office_level_of_post(const RuleSet& rules, PostRef p) { return rules.office(rules.post(p).office).level; }

// Checks true of every shipped set: limits, the ratio cap, A ≠ B, instant matters.
void check_common(const RuleSet& rules) {
  CHECK(rules.policy().promised_ratio_cap == doctest::Approx(0.5));
  for (const Post& p : rules.posts()) {
    INFO("post " << p.id);
    CHECK(p.a != p.b);
    // Every holder works at the post's office.
    CHECK(rules.staff(p.a).office == p.office);
    CHECK(rules.staff(p.b).office == p.office);
  }
  for (const Matter& m : rules.matters()) {
    INFO("matter " << m.code << " " << m.name);
    CHECK_FALSE(m.basis.empty());
    if (m.kind == MatterKind::instant) {
      CHECK_FALSE(m.cross_region);
      CHECK(m.legal_limit == 0);
      CHECK(m.promised_limit == 0);
      CHECK(m.stages.empty());
      continue;
    }
    CHECK(m.legal_limit > 0);
    CHECK(m.promised_limit > 0);
    // Promised at most half the legal limit (seed 002; domain.md).
    CHECK(2 * m.promised_limit <= m.legal_limit);
    // Nothing promises more than the 行政许可法 §42 default of 20 days unless it is the
    // construction bundle (national ceiling 120) or 不动产登记 (条例 §20: 30).
    if (m.legal_limit > 20) CHECK((m.legal_limit == 30 || m.legal_limit == 120));
    // 告知承诺制 is excluded for safety, health, finance and ecology matters.
    if (m.promise_approval) {
      for (std::string_view word : {"食品", "卫生", "医疗", "环境", "成品油", "抵押", "危险", "救助"}) {
        CHECK_FALSE(contains(m.name, word));
      }
    }
  }
}

}  // namespace

TEST_CASE("shipped rules: ningdu loads with no errors and no warnings") {
  const RuleSet rules = load_shipped("ningdu");
  for (const Diagnostic& d : rules.warnings()) MESSAGE(d.to_string());
  CHECK(rules.warnings().empty());
  check_common(rules);
}

TEST_CASE("shipped rules: ningdu office tree — 赣州市 → 宁都县 → six pilot townships → one village each") {
  const RuleSet rules = load_shipped("ningdu");
  const OfficeRef gz = office(rules, "gz");
  const OfficeRef nd = office(rules, "nd");
  CHECK(rules.office(gz).level == Level::city);
  CHECK_FALSE(rules.office(gz).parent.has_value());
  CHECK(rules.office(gz).name == "赣州市政务服务中心");
  CHECK(rules.office(nd).level == Level::county);
  CHECK(rules.office(nd).parent == gz);
  CHECK(rules.office(nd).name == "宁都县政务服务中心");

  // Seed 000: "在梅江、竹竿（竹笮）、小布、长胜、赖村、会同等乡镇开展...试点".
  const std::vector<std::string> pilots = {"梅江镇", "竹笮乡", "小布镇", "长胜镇", "赖村镇", "会同乡"};
  const auto townships = children(rules, nd);
  REQUIRE(townships.size() == pilots.size());
  for (const std::string& name : pilots) {
    INFO("township " << name);
    const auto it = std::find_if(townships.begin(), townships.end(),
                                 [&](const Office* o) { return starts_with(o->name, name); });
    REQUIRE(it != townships.end());
    CHECK((*it)->level == Level::township);
    CHECK((*it)->name == name + "综合便民服务中心");
  }

  // "分别遴选1个村(居、社区)": exactly one village station per pilot township.
  std::size_t villages = 0;
  for (const Office* t : townships) {
    const auto kids = children(rules, *rules.find_office(t->id));
    CHECK(kids.size() == 1);
    for (const Office* v : kids) {
      CHECK(v->level == Level::village);
      CHECK(contains(v->name, "便民服务站"));
      ++villages;
    }
  }
  CHECK(villages == 6);
  CHECK(rules.offices().size() == 14);
}

TEST_CASE("shipped rules: ningdu county centre windows — 16 comprehensive, 1 办不成事, 1 惠企, 3 一窗办") {
  const RuleSet rules = load_shipped("ningdu");
  const OfficeRef nd = office(rules, "nd");
  const auto hall = rules.find_department("nd-hall");
  REQUIRE(hall.has_value());

  std::set<std::string> comprehensive;
  int comprehensive_posts = 0, unresolved = 0, policy = 0;
  std::vector<std::string> one_window;
  for (const Post* p : posts_at(rules, nd)) {
    if (p->role == PostRole::window && p->department == *hall) {
      comprehensive.insert(p->name);
      ++comprehensive_posts;
    }
    if (p->role == PostRole::window && p->department != *hall) one_window.push_back(p->name);
    if (p->role == PostRole::unresolved) ++unresolved;
    if (p->role == PostRole::policy) ++policy;
  }
  // Seed 000 附件1: "设置16个...“一窗式”综合受理窗口，1个“办不成事窗口”，1个惠企政策兑现窗口".
  CHECK(comprehensive_posts == 16);
  CHECK(comprehensive.size() == 16);
  for (int i = 1; i <= 16; ++i) CHECK(comprehensive.count("综合受理窗口" + std::to_string(i)) == 1);
  CHECK(unresolved == 1);
  CHECK(policy == 1);
  // "...企业开办，工程建设项目审批，不动产交易、登记和缴税等3个“一窗办”窗口".
  REQUIRE(one_window.size() == 3);
  for (std::string_view what : {"企业开办", "工程建设项目审批", "不动产交易登记缴税"}) {
    CHECK(std::count_if(one_window.begin(), one_window.end(),
                        [&](const std::string& n) { return contains(n, what); }) == 1);
  }

  // Some post approves extensions and some posts have a supervisor.
  const auto posts = rules.posts();
  CHECK(std::any_of(posts.begin(), posts.end(), [](const Post& p) { return p.approves_extensions; }));
  CHECK(std::count_if(posts.begin(), posts.end(), [](const Post& p) { return p.supervisor.has_value(); }) >= 16);
  // Comprehensive windows cover each other in pairs: B of one is A of its partner.
  for (const Post* p : posts_at(rules, nd)) {
    if (p->role != PostRole::window || p->department != *hall) continue;
    const auto partner = std::find_if(posts.begin(), posts.end(), [&](const Post& q) {
      return q.office == nd && q.department == *hall && q.role == PostRole::window && q.a == p->b;
    });
    CHECK_MESSAGE(partner != posts.end(), p->name << "'s B holder holds no other window");
  }
}

TEST_CASE("shipped rules: ningdu townships have 1 comprehensive + 6 specialist windows and one 办不成事窗口") {
  const RuleSet rules = load_shipped("ningdu");
  const OfficeRef nd = office(rules, "nd");
  // Seed 000 附件2: "至少设置1个综合窗口...至少设置社会治理、退役军人事务、社会保障、民政、卫健、财政等6个专业窗口".
  const std::vector<std::string_view> specialist = {"社会治理", "退役军人事务", "社会保障", "民政", "卫健", "财政"};
  for (const Office* t : children(rules, nd)) {
    INFO("township " << t->name);
    const auto posts = posts_at(rules, *rules.find_office(t->id));
    std::vector<const Post*> windows;
    std::set<std::string> staff;
    int unresolved = 0;
    for (const Post* p : posts) {
      if (p->role == PostRole::window) windows.push_back(p);
      if (p->role == PostRole::unresolved) ++unresolved;
    }
    CHECK(unresolved == 1);
    CHECK(windows.size() >= 7);
    CHECK(std::count_if(windows.begin(), windows.end(), [](const Post* p) { return p->name == "综合窗口"; }) >= 1);
    for (std::string_view what : specialist) {
      CHECK_MESSAGE(std::any_of(windows.begin(), windows.end(), [&](const Post* p) { return contains(p->name, what); }),
                    "no " << std::string(what) << " window");
    }
    // Window staff per 附件2 人员配备: "建制乡为4-5名，建制镇为6-7名".
    for (const Post* w : windows) {
      staff.insert(rules.staff(w->a).id);
      staff.insert(rules.staff(w->b).id);
    }
    if (contains(t->name, "镇")) CHECK((staff.size() >= 6 && staff.size() <= 7));
    if (contains(t->name, "乡")) CHECK((staff.size() >= 4 && staff.size() <= 5));
  }
}

TEST_CASE("shipped rules: each village station has two agents on mirrored AB posts") {
  for (const char* set : {"ningdu", "sandu"}) {
    const RuleSet rules = load_shipped(set);
    int stations = 0;
    for (const Office& v : rules.offices()) {
      if (v.level != Level::village) continue;
      INFO(set << ": " << v.name);
      ++stations;
      const auto posts = posts_at(rules, *rules.find_office(v.id));
      // Seed 000 附件3: "配备2名...帮(代)办人员，设置AB岗".
      REQUIRE(posts.size() == 2);
      CHECK(posts[0]->role == PostRole::agent);
      CHECK(posts[1]->role == PostRole::agent);
      CHECK(posts[0]->a == posts[1]->b);
      CHECK(posts[0]->b == posts[1]->a);
      CHECK(posts[0]->a != posts[0]->b);
    }
    CHECK(stations >= 1);
  }
}

TEST_CASE("shipped rules: ningdu time-limit targets of the seed") {
  const RuleSet rules = load_shipped("ningdu");

  // 企业开办 in 1 day (seed 000 二(二)1(1)); registration legal limit 3 (登记条例 §19).
  const Matter& opening = matter(rules, "360730-SCJG-0001");
  CHECK(contains(opening.name, "企业开办"));
  CHECK(opening.kind == MatterKind::committed);
  CHECK(opening.promised_limit == 1);
  CHECK(opening.legal_limit == 3);
  const Matter& bundle = matter(rules, "360730-SCJG-0002");
  CHECK(contains(bundle.name, "企业开办"));
  CHECK(bundle.kind == MatterKind::joint);
  CHECK(bundle.promised_limit == 1);
  std::set<std::uint32_t> bundle_departments;
  for (const Stage& s : bundle.stages) bundle_departments.insert(index_of(rules.post(s.post).department));
  CHECK(bundle_departments.size() == 5);  // 登记、刻章、发票、参保、公积金

  // 不动产交易、登记、缴税 within 3 working days (seed 000 二(二)1(3)); 条例 §20: 30.
  const Matter& estate = matter(rules, "360730-BDC-0001");
  CHECK(contains(estate.name, "交易"));
  CHECK(estate.promised_limit == 3);
  CHECK(estate.legal_limit == 30);
  CHECK(estate.stages.size() == 3);
  CHECK(estate.fee_fen == 8000);  // 住宅类不动产登记费 80 元/件

  // 工程建设项目审批 ≤ 60 working days, 并联审批 by several departments, 超时默许.
  const Matter& building = matter(rules, "360730-ZJ-0001");
  CHECK(contains(building.name, "工程建设项目审批"));
  CHECK(building.kind == MatterKind::joint);
  CHECK(building.promised_limit <= 60);
  CHECK(building.promised_limit > 0);
  CHECK(building.deemed_approval);
  std::set<std::uint32_t> departments;
  for (const Stage& s : building.stages) {
    departments.insert(index_of(rules.post(s.post).department));
    CHECK(s.share_days > 0);
    CHECK(s.share_days <= building.promised_limit);
  }
  CHECK(departments.size() >= 2);
  // The seed's seven departments: 住建、发改、水利、城管、自然资源、应急管理、生态环境.
  CHECK(departments.size() == 7);
}

TEST_CASE("shipped rules: ningdu 企业开办一件事 — five parts of five departments, 1 day") {
  const RuleSet rules = load_shipped("ningdu");
  CHECK(rules.bundles().size() == 1);
  const auto ref = rules.find_bundle("business-opening");
  REQUIRE(ref.has_value());
  const Bundle& opening = rules.bundle(*ref);
  CHECK(contains(opening.name, "企业开办"));
  const OfficeRef nd = office(rules, "nd");
  CHECK(opening.office == nd);
  // Seed 000 二(二)1(1): "企业登记、公章刻制、申领发票、企业参保、公积金缴存 ... 缩短为1天".
  CHECK(opening.promised_limit == 1);
  std::vector<std::string> codes;
  std::set<std::uint32_t> departments;
  for (const MatterRef part : opening.matters) {
    const Matter& m = rules.matter(part);
    codes.push_back(m.code);
    departments.insert(index_of(m.department));
    // Every part is handled by a department at the county centre, so it needs no cross_region.
    CHECK(rules.department(m.department).office == nd);
  }
  CHECK(codes == std::vector<std::string>{"360730-SCJG-0001", "360730-GA-0001", "360730-TAX-0001",
                                          "360730-SB-0001", "360730-GJJ-0001"});
  CHECK(departments.size() == 5);
  CHECK(matter(rules, "360730-SCJG-0001").promised_limit == 1);
  // The county centre has windows to accept it, the 企业开办“一窗办”窗口 among them.
  const auto posts = posts_at(rules, nd);
  CHECK(std::any_of(posts.begin(), posts.end(), [](const Post* p) {
    return p->role == PostRole::window && contains(p->name, "企业开办");
  }));
}

TEST_CASE("shipped rules: ningdu 跨域通办 matters — five committed ones, none instant or delegated") {
  const RuleSet rules = load_shipped("ningdu");
  std::set<std::string> cross_region;
  for (const Matter& m : rules.matters()) {
    if (!m.cross_region) continue;
    INFO("matter " << m.code << " " << m.name);
    cross_region.insert(m.code);
    CHECK(m.kind != MatterKind::instant);  // an instant matter is decided by the window
  }
  CHECK(cross_region == std::set<std::string>{"360730-SCJG-0001", "360730-BDC-0002",
                                              "360730-RSJ-0001", "360730-ZZ-MZ-0001",
                                              "360730-HT-MZ-0001"});
  CHECK(matter(rules, "360730-ZZ-MZ-0001").name == "高龄津贴申请");
  CHECK(matter(rules, "360730-HT-MZ-0001").name == "高龄津贴申请");
  // None of them is also delegated: the shipped set keeps the two ways of moving a window apart.
  for (const Delegation& d : rules.delegations()) CHECK_FALSE(rules.matter(d.matter).cross_region);
}

TEST_CASE("shipped rules: ningdu matter kinds, escalation to the city, village proxy, 告知承诺") {
  const RuleSet rules = load_shipped("ningdu");
  std::map<MatterKind, int> kinds;
  int to_city = 0, to_county = 0, proxy = 0, promise = 0;
  for (const Matter& m : rules.matters()) {
    ++kinds[m.kind];
    if (m.village_proxy) ++proxy;
    if (m.promise_approval) ++promise;
    if (m.kind != MatterKind::escalated) continue;
    REQUIRE(m.escalate_to.has_value());
    const Level target = office_level_of_post(rules, *m.escalate_to);
    CHECK(target > m.level);
    if (m.level == Level::county && target == Level::city) ++to_city;
    if (m.level == Level::township && target == Level::county) ++to_county;
  }
  CHECK(kinds[MatterKind::instant] > 0);
  CHECK(kinds[MatterKind::committed] > 0);
  CHECK(kinds[MatterKind::joint] >= 2);
  CHECK(to_city >= 1);      // e.g. 成品油零售经营资格审批, decided by 赣州市商务局
  CHECK(to_county == 6);    // 低保 at each pilot township, decided by 宁都县民政局
  CHECK(proxy >= 6);
  CHECK(promise >= 2);

  // Township matters are per township: all six implement the same list with their own
  // departments, including instant and village-proxy matters.
  const OfficeRef nd = office(rules, "nd");
  std::map<std::string, std::set<std::string>> by_township;
  for (const Matter& m : rules.matters()) {
    const Office& at = rules.office(rules.department(m.department).office);
    if (at.level != Level::township) continue;
    CHECK(at.parent == nd);
    CHECK(m.level == Level::township);
    by_township[at.id].insert(m.name);
  }
  REQUIRE(by_township.size() == 6);
  const std::set<std::string>& first = by_township.begin()->second;
  CHECK(first.size() >= 6);
  CHECK(first.count("城乡居民基本养老保险参保登记") == 1);
  CHECK(first.count("城乡居民基本医疗保险参保登记") == 1);
  CHECK(first.count("高龄津贴申请") == 1);
  for (const auto& [id, names] : by_township) {
    INFO("township " << id);
    CHECK(names == first);
  }
}

TEST_CASE("shipped rules: ningdu delegations — every mode, one-year terms, to pilot townships") {
  const RuleSet rules = load_shipped("ningdu");
  const OfficeRef nd = office(rules, "nd");
  std::map<DelegationMode, int> modes;
  std::set<int> years;
  for (const Delegation& d : rules.delegations()) {
    INFO("delegation " << d.id);
    ++modes[d.mode];
    CHECK(d.from_office == nd);
    CHECK(d.from_department.has_value());
    const Office& t = rules.office(d.township);
    CHECK(t.level == Level::township);
    CHECK(t.parent == d.from_office);
    // A one-year term: from a day to the day before the same date next year.
    const Date next_year = Date::from_ymd(d.valid_from.year() + 1, d.valid_from.month(), d.valid_from.day());
    CHECK(d.valid_until == next_year - 1);
    years.insert(d.valid_from.year());
    CHECK_FALSE(d.document.empty());
    // The delegated matter belongs to the delegating department, at the county.
    const Matter& m = rules.matter(d.matter);
    CHECK(m.level == Level::county);
    CHECK(m.department == *d.from_department);
    CHECK(m.kind != MatterKind::instant);
    if (d.mode == DelegationMode::full) {
      REQUIRE(d.post.has_value());
      CHECK(rules.post(*d.post).office == d.township);
    }
  }
  CHECK(modes[DelegationMode::window_forward] > 0);
  CHECK(modes[DelegationMode::partial] > 0);
  CHECK(modes[DelegationMode::full] > 0);
  CHECK(years == std::set<int>{2025, 2026});

  // 2025 and 2026 terms of a renewed delegation are back to back; 赖村 食品经营许可 was not
  // renewed, so in 2026 its cases route back to the county.
  const auto matter_ref = rules.find_matter("360730-SCJG-0004");
  REQUIRE(matter_ref.has_value());
  CHECK(rules.delegation_in_force(*matter_ref, office(rules, "nd-mj"), Date::from_ymd(2025, 12, 31)).has_value());
  CHECK(rules.delegation_in_force(*matter_ref, office(rules, "nd-mj"), Date::from_ymd(2026, 1, 1)).has_value());
  CHECK(rules.delegation_in_force(*matter_ref, office(rules, "nd-lc"), Date::from_ymd(2025, 6, 1)).has_value());
  CHECK_FALSE(rules.delegation_in_force(*matter_ref, office(rules, "nd-lc"), Date::from_ymd(2026, 6, 1)).has_value());
}

TEST_CASE("shipped rules: sandu loads with no errors and no warnings") {
  const RuleSet rules = load_shipped("sandu");
  for (const Diagnostic& d : rules.warnings()) MESSAGE(d.to_string());
  CHECK(rules.warnings().empty());
  check_common(rules);
  CHECK(rules.delegations().empty());
  CHECK(rules.bundles().empty());
}

TEST_CASE("shipped rules: sandu — 三都镇's windows exactly as seed 003 四、窗口设置") {
  const RuleSet rules = load_shipped("sandu");
  const OfficeRef ly = office(rules, "ly");
  const OfficeRef sd = office(rules, "ly-sd");
  CHECK(rules.office(ly).name == "耒阳市政务服务中心");
  CHECK(rules.office(ly).level == Level::county);
  CHECK_FALSE(rules.office(ly).parent.has_value());
  CHECK(rules.office(sd).name == "三都镇政务服务中心");
  CHECK(rules.office(sd).level == Level::township);
  CHECK(rules.office(sd).parent == ly);
  const auto villages = children(rules, sd);
  CHECK((villages.size() >= 1 && villages.size() <= 2));

  // (window name, number of windows, the hosting department as the seed names it)
  struct SeedWindow {
    std::string_view name;
    int count;
    std::string_view department;
  };
  const std::vector<SeedWindow> seed = {
      {"社会事务综合窗口", 3, "社会事务综合服务中心"}, {"农业综合窗口", 2, "农业综合服务中心"},
      {"自然资源窗口", 1, "自然资源所"},             {"市场监管窗口", 1, "市场监督管理所"},
      {"财税窗口", 1, "财政所"},                     {"户政窗口", 1, "派出所"},
      {"司法窗口", 1, "司法所"},                     {"公共服务综合窗口", 1, "政务服务中心"},
  };
  std::vector<const Post*> windows;
  for (const Post* p : posts_at(rules, sd)) {
    if (p->role == PostRole::window) windows.push_back(p);
    CHECK(p->role != PostRole::unresolved);  // the seed sets up no 办不成事窗口
  }
  CHECK(windows.size() == 11);
  std::size_t matched = 0;
  for (const SeedWindow& w : seed) {
    INFO("seed window " << std::string(w.name));
    std::vector<const Post*> hits;
    for (const Post* p : windows) {
      // "社会事务综合窗口1..3", or the bare name for a single window.
      const bool numbered = starts_with(p->name, w.name) && p->name.size() == w.name.size() + 1 &&
                            p->name.back() >= '1' && p->name.back() <= '9';
      if (p->name == w.name || (w.count > 1 && numbered)) hits.push_back(p);
    }
    CHECK(static_cast<int>(hits.size()) == w.count);
    matched += hits.size();
    for (const Post* p : hits) {
      const Department& dep = rules.department(p->department);
      CHECK(contains(dep.name, w.department));
      CHECK(dep.office == sd);
      // Every hosting department implements at least one matter at the township.
      CHECK(std::any_of(rules.matters().begin(), rules.matters().end(),
                        [&](const Matter& m) { return m.department == p->department; }));
    }
  }
  CHECK(matched == windows.size());

  // Each department has one 窗口组长 post (seed 003 三) that approves extensions.
  for (const Department& dep : rules.departments()) {
    if (dep.office != sd) continue;
    INFO("department " << dep.name);
    int leads = 0;
    for (const Post* p : posts_at(rules, sd)) {
      if (rules.department(p->department).id == dep.id && p->role == PostRole::back_office && p->approves_extensions) ++leads;
    }
    CHECK(leads == 1);
  }
}

TEST_CASE("shipped rules: sandu matters — instant at the window, 上报件 to 耒阳市") {
  const RuleSet rules = load_shipped("sandu");
  std::map<MatterKind, int> kinds;
  for (const Matter& m : rules.matters()) {
    INFO("matter " << m.code);
    ++kinds[m.kind];
    CHECK(m.level == Level::township);
    if (m.kind == MatterKind::escalated) {
      REQUIRE(m.escalate_to.has_value());
      CHECK(office_level_of_post(rules, *m.escalate_to) == Level::county);
    }
  }
  CHECK(kinds[MatterKind::instant] >= 5);
  CHECK(kinds[MatterKind::committed] >= 2);
  CHECK(kinds[MatterKind::escalated] >= 1);
  CHECK(kinds[MatterKind::joint] >= 1);
  const Matter& pension = matter(rules, "430481-SD-SHSW-0001");
  CHECK(pension.kind == MatterKind::instant);
  CHECK(pension.village_proxy);
}
