// 一件事一次办 at the demo hall's county centre (sim_bundles.hpp).
#include "sim_bundles.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace workflow::cli::sim {
namespace {

constexpr std::array<const char*, 12> kTradeNames = {"赣江", "梅江", "翠微", "琴江", "宁康", "竹笮",
                                                     "黄陂", "金精", "莲花", "石上", "田埠", "东山"};
constexpr std::array<const char*, 6> kTrades = {"商贸", "食品", "农业科技", "建材", "物流", "餐饮管理"};

// The bundle's materials, each once, in part order; and those no part may take on 容缺 terms.
struct BundleMaterials {
  std::vector<std::string> all, required;
};

BundleMaterials materials_of(const RuleSet& rules, const Bundle& b) {
  BundleMaterials out;
  std::vector<std::string> tolerable;
  for (MatterRef m : b.matters)
    for (const Material& mat : rules.matter(m).materials) {
      if (std::find(out.all.begin(), out.all.end(), mat.name) == out.all.end()) out.all.push_back(mat.name);
      if (mat.tolerable) tolerable.push_back(mat.name);
    }
  for (const std::string& name : out.all)
    if (std::find(tolerable.begin(), tolerable.end(), name) == tolerable.end()) out.required.push_back(name);
  return out;
}

}  // namespace

BundleDesk::BundleDesk(Desk desk, std::function<std::string(const std::string&, MatterRef)> clerk)
    : desk_(std::move(desk)), rules_(desk_.engine.rules()), cal_(desk_.engine.calendar()),
      clerk_(std::move(clerk)) {}

void BundleDesk::plan_day(Date day, Agenda& agenda) {
  for (const auto& [id, minute] : returns_[day]) {
    const BundleId b = id;
    agenda.add(minute, [this, b] { come_back(b); });
  }
  returns_.erase(day);
  // A few firms a day at the 企业开办 windows of the bundle's office.
  for (std::uint32_t r = 0; r < rules_.bundles().size(); ++r) {
    std::poisson_distribution<int> arrivals(3.0);
    const int k = arrivals(desk_.rng);
    for (int i = 0; i < k; ++i) {
      const int minute = arrival_minute(desk_.rng);
      agenda.add(minute, [this, r, day] { arrive(BundleRef{r}, day); });
    }
  }
  for (int minute : {11 * 60 + 30, 16 * 60 + 30, 17 * 60 + 15})
    agenda.add(minute, [this] { issue_ready(); });
}

void BundleDesk::arrive(BundleRef rule, Date day) {
  const Bundle& b = rules_.bundle(rule);
  BundleMaterials mats = materials_of(rules_, b);
  // One in eight firms lacks a material the parts cannot do without.
  if (chance(desk_.rng, 0.125) && !mats.required.empty())
    std::erase(mats.all, mats.required[uniform(desk_.rng, 0, int(mats.required.size()) - 1)]);
  const std::string firm = fmt::format(
      "宁都县{}{}有限公司（筹{}）", kTradeNames[uniform(desk_.rng, 0, int(kTradeNames.size()) - 1)],
      kTrades[uniform(desk_.rng, 0, int(kTrades.size()) - 1)], ++firms_);
  const std::string office = rules_.office(b.office).id;
  const BundleId id =
      desk_.engine.submit_bundle({b.id, office, clerk_(office, b.matters.front()), firm, mats.all});
  ++desk_.counts["bundles"];
  const BundleView v = desk_.engine.get_bundle(id);
  if (!v.missing_materials.empty()) {
    // 一次性告知 for the whole bundle; the firm comes back with it the next working day.
    desk_.engine.act_bundle(id, Verb::notify_missing, {.actor = window_holder(v)});
    ++desk_.counts["bundle_notices"];
    returns_[cal_.add_working_days(day, 1)].push_back({id, uniform(desk_.rng, 540, 1020)});
    return;
  }
  accept(id);
}

void BundleDesk::come_back(BundleId id) {
  const BundleView v = desk_.engine.get_bundle(id);
  desk_.engine.act_bundle(id, Verb::supplement,
                          {.actor = window_holder(v), .materials = v.missing_materials});
  ++desk_.counts["bundle_supplied"];
  accept(id);
}

// Accepted whole; the window decides the instant parts on the spot (a seal design is now and
// then refused), the departments work the rest.
void BundleDesk::accept(BundleId id) {
  desk_.engine.act_bundle(id, Verb::accept, {.actor = window_holder(desk_.engine.get_bundle(id))});
  ++desk_.counts["bundle_accepted"];
  open_.insert(id);
  for (CaseId part : desk_.engine.get_bundle(id).parts) {
    const CaseView c = desk_.engine.get(part);
    if (c.state != CaseState::on_the_spot) continue;
    if (chance(desk_.rng, 0.005)) {
      desk_.engine.act(part, Verb::deny, {.actor = c.holder, .reason = "申请材料与登记信息不一致"});
      ++desk_.counts["bundle_part_denied"];
    } else {
      desk_.engine.act(part, Verb::approve, {.actor = c.holder});
    }
  }
}

// Bundles whose every part is decided are issued together (综合窗口出件).
void BundleDesk::issue_ready() {
  for (auto it = open_.begin(); it != open_.end();) {
    const BundleView b = desk_.engine.get_bundle(*it);
    bool ready = !b.done;
    for (CaseId part : b.parts) {
      const CaseState s = desk_.engine.get(part).state;
      if (s != CaseState::decided && s < CaseState::issued) ready = false;
    }
    if (ready) {
      const int r = uniform(desk_.rng, 0, 9);
      desk_.engine.act_bundle(
          *it, Verb::issue,
          {.actor = window_holder(b), .channel = r < 7 ? IssueChannel::pickup : IssueChannel::e_certificate});
      ++desk_.counts["bundle_issued"];
    }
    if (ready || b.done) it = open_.erase(it);
    else ++it;
  }
}

std::string BundleDesk::window_holder(const BundleView& b) const {
  for (CaseId part : b.parts) {
    const CaseView c = desk_.engine.get(part);
    if (c.state < CaseState::issued && !c.holder.empty() &&
        (c.state == CaseState::received || c.state == CaseState::awaiting_materials ||
         c.state == CaseState::decided || c.state == CaseState::on_the_spot))
      return c.holder;
  }
  return desk_.engine.get(b.parts.front()).first_handler;
}

}  // namespace workflow::cli::sim
