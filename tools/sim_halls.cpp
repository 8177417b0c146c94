// The halls of the demo (sim_halls.hpp): who receives applications where, and what.
#include "sim_halls.hpp"

#include <algorithm>
#include <memory>

#include "workflow/error.hpp"

namespace workflow::cli::sim {
namespace {

// Asks a scratch engine (no store, the run's start day) whether a matter is taken in at a hall.
class Probe {
 public:
  Probe(const RuleSet& rules, const Calendar& calendar, Date start)
      : rules_(rules),
        engine_(rules, calendar, std::make_shared<ManualClock>(DateTime::at(start, 9))) {}

  // The case the hall would open for `m`, or nullopt if the engine refuses it there.
  std::optional<CaseView> submit(const Hall& hall, MatterRef m) {
    const Matter& matter = rules_.matter(m);
    std::vector<std::string> all;
    for (const auto& mat : matter.materials) all.push_back(mat.name);
    const Post& post = rules_.post(receiving_posts(rules_, hall, m).front());
    try {
      return engine_.get(engine_.submit({matter.code, hall.office, rules_.staff(post.a).id, "试", all}));
    } catch (const Error&) {
      return std::nullopt;
    }
  }

 private:
  const RuleSet& rules_;
  Engine engine_;
};

bool has_window(const RuleSet& rules, std::uint32_t office) {
  return std::any_of(rules.posts().begin(), rules.posts().end(), [&](const Post& p) {
    return p.role == PostRole::window && index_of(p.office) == office;
  });
}

}  // namespace

std::vector<PostRef> receiving_posts(const RuleSet& rules, const Hall& hall, MatterRef m) {
  std::vector<PostRef> same, general;
  for (PostRef p : hall.counters) {
    const Post& post = rules.post(p);
    if (post.department == rules.matter(m).department) same.push_back(p);
    if (rules.department(post.department).id.ends_with("-hall")) general.push_back(p);
  }
  return !same.empty() ? same : !general.empty() ? general : hall.counters;
}

std::vector<Hall> build_halls(const RuleSet& rules, const Calendar& calendar, Date start) {
  Probe probe(rules, calendar, start);
  std::vector<Hall> halls;
  int township_no = 0;
  for (std::uint32_t i = 0; i < rules.offices().size(); ++i) {
    const Office& o = rules.offices()[i];
    Hall hall{.office = o.id, .level = o.level};
    const bool village = o.level == Level::village;
    for (std::uint32_t p = 0; p < rules.posts().size(); ++p) {
      const Post& post = rules.posts()[p];
      if (index_of(post.office) == i && post.role == (village ? PostRole::agent : PostRole::window))
        hall.counters.push_back(PostRef{p});
    }
    if (hall.counters.empty()) continue;
    if (o.level == Level::township) {
      hall.market_offset = township_no++ % 3;
      hall.cross_per_day = 0.5;
    }
    hall.per_day = village ? 3 : o.level == Level::township ? 9 : o.level == Level::county ? 55 : 1;
    for (std::uint32_t m = 0; m < rules.matters().size(); ++m) {
      const Matter& matter = rules.matters()[m];
      const OfficeRef home = rules.department(matter.department).office;
      const bool delegated = std::any_of(
          rules.delegations().begin(), rules.delegations().end(), [&](const Delegation& d) {
            return index_of(d.matter) == m && index_of(d.township) == i;
          });
      double w = matter.kind == MatterKind::instant     ? 6
                 : matter.kind == MatterKind::committed ? 2.5
                 : matter.kind == MatterKind::joint     ? 0.8
                                                        : 0.6;
      bool offered = false;
      if (village) {
        offered = matter.village_proxy && o.parent && home == *o.parent;
        w = matter.kind == MatterKind::instant ? 3 : 1.5;
      } else if (index_of(home) == i) {
        offered = true;
      } else if (delegated) {
        offered = true;
        w = 3;
      }
      if (offered) {
        if (probe.submit(hall, MatterRef{m})) hall.offers.push_back({MatterRef{m}, w});
        continue;
      }
      // 跨域通办: another office's matter that this township's windows take in for it.
      if (o.level != Level::township || !matter.cross_region) continue;
      const auto c = probe.submit(hall, MatterRef{m});
      if (!c || !c->cross_region) continue;
      CrossOffer cross{.matter = MatterRef{m}};
      for (std::uint32_t t = 0; t < rules.offices().size(); ++t) {
        const Office& other = rules.offices()[t];
        if (t != i && has_window(rules, t) &&
            (other.level == Level::township || other.level == Level::county))
          cross.issue_offices.push_back(other.id);
      }
      hall.cross.push_back(std::move(cross));
    }
    if (!hall.offers.empty()) halls.push_back(std::move(hall));
  }
  return halls;
}

}  // namespace workflow::cli::sim
