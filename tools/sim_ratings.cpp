// 好差评 and 差评整改 in the demo hall (sim_ratings.hpp).
#include "sim_ratings.hpp"

#include <algorithm>
#include <array>

namespace workflow::cli::sim {
namespace {

constexpr std::array<const char*, 5> kComplaints = {
    "窗口解释不清，跑了两趟", "等候时间太长", "办理时间比承诺的长", "工作人员态度生硬", "材料要求前后不一致"};

}  // namespace

RatingDesk::RatingDesk(Desk desk)
    : desk_(std::move(desk)), rules_(desk_.engine.rules()), cal_(desk_.engine.calendar()) {}

void RatingDesk::plan_day(Date day, Agenda& agenda) {
  for (auto& [id, rating] : ratings_[day]) {
    const CaseId c = id;
    const Rating r = rating;
    agenda.add(uniform(desk_.rng, 540, 1080), [this, c, r] { rate(c, r); });
  }
  ratings_.erase(day);
  agenda.add(16 * 60 + 30, [this, day] { rectify(day); });
  agenda.add(17 * 60 + 30, [this, day] { collect(day); });
}

// Seven in ten concluded services are rated: on the window's device as the applicant leaves,
// online within a few days, or when the 12345 hotline calls back. Late, denied or terminated
// cases are rated worse.
void RatingDesk::collect(Date day) {
  for (const CaseView& c : desk_.engine.list()) {
    if (c.state < CaseState::issued || !seen_.insert(c.id).second) continue;
    // A bundle is one service: its first part carries the firm's rating.
    if (c.bundle != 0 && desk_.engine.get_bundle(c.bundle).parts.front() != c.id) continue;
    if (!chance(desk_.rng, c.state == CaseState::issued ? 0.7 : 0.5)) continue;
    const bool sore = c.light == Light::red || c.light == Light::escalated_red ||
                      c.decision == Decision::denied || c.state == CaseState::terminated;
    const double bad = sore ? 0.12 : 0.022, fair = sore ? 0.10 : 0.04;
    const double roll = std::uniform_real_distribution<double>(0, 1)(desk_.rng);
    Rating r;
    r.score = roll < bad * 0.35 ? 1 : roll < bad ? 2 : roll < bad + fair ? 3 : roll < bad + fair + 0.15 ? 4 : 5;
    const int ch = uniform(desk_.rng, 0, 99);
    const bool instant = c.kind == MatterKind::instant;
    if (ch < (instant ? 65 : 45)) r.channel = RatingChannel::window_device;
    else if (ch < (instant ? 90 : 80)) r.channel = RatingChannel::online;
    else r.channel = RatingChannel::phone;
    r.named = r.channel == RatingChannel::phone ||
              chance(desk_.rng, r.channel == RatingChannel::online ? 0.6 : 0.3);
    if (r.score <= 2) r.comment = kComplaints[uniform(desk_.rng, 0, int(kComplaints.size()) - 1)];
    else if (r.score == 5 && chance(desk_.rng, 0.2)) r.comment = "办事效率高，服务热情";
    if (r.channel == RatingChannel::window_device) {
      rate(c.id, r);
    } else {
      const int after = r.channel == RatingChannel::online ? uniform(desk_.rng, 1, 3) : uniform(desk_.rng, 2, 5);
      ratings_[cal_.add_working_days(day, after)].push_back({c.id, r});
    }
  }
}

void RatingDesk::rate(CaseId id, const Rating& r) {
  desk_.engine.rate(id, r);
  ++desk_.counts["rated"];
  if (r.score > 2) return;
  ++desk_.counts["bad_ratings"];
  plan_rectification(id, r, desk_.engine.now().date());
}

// The unit's steps: most finish within the deadline, about one in six only after it. Named
// ratings are always called back; anonymous ones seven times in ten (the case file has a
// number), the rest are closed without.
void RatingDesk::plan_rectification(CaseId id, const Rating& r, Date opened) {
  const CaseView c = desk_.engine.get(id);
  if (!c.rectification) return;
  const int days = cal_.working_days_between(opened, c.rectification->due);
  auto on = [&](int n) { return n <= 0 ? opened : cal_.add_working_days(opened, n); };
  const bool late = chance(desk_.rng, 0.16);
  const int verify = uniform(desk_.rng, late ? 1 : 0, late ? 2 : 1);
  const int close = late ? days + uniform(desk_.rng, 1, 3) : uniform(desk_.rng, std::min(verify + 1, days), days);
  const int resolve = std::min(close, verify + uniform(desk_.rng, 0, 2));
  const int call = std::min(close, resolve + uniform(desk_.rng, 0, 1));
  const int kind = uniform(desk_.rng, 0, 99);
  const Verb resolution = kind < 55 ? Verb::rectify : kind < 85 ? Verb::explain : Verb::appeal;
  std::vector<Step> steps;
  steps.push_back({on(verify), Verb::verify,
                   resolution == Verb::rectify   ? "属实：窗口一次性告知和服务不到位"
                   : resolution == Verb::explain ? "核实：申请人对政策规定和办理时限有误解"
                                                 : "核实：评价与办理事实不符"});
  steps.push_back({on(resolve), resolution,
                   resolution == Verb::rectify   ? "修订告知单，组织窗口人员培训"
                   : resolution == Verb::explain ? "向申请人说明政策依据和办理时限"
                                                 : "评价与事实不符，申请复核"});
  // 件件有回访: every bad rating is called back; an anonymous one through the channel it came
  // by. (The draw keeps the demo's random stream as it was before anonymous call-backs.)
  const bool answered = r.named || chance(desk_.rng, 0.7);
  steps.push_back({on(call), Verb::call_back,
                   r.named    ? "电话回访，申请人表示认可"
                   : answered ? "通过评价渠道留言回访，申请人回复认可"
                              : "通过评价渠道留言回访，申请人未回复"});
  steps.push_back({on(close), Verb::close_rectification, ""});
  tasks_[id] = std::move(steps);
  ++desk_.counts[late ? "rectification_planned_late" : "rectification_planned_on_time"];
}

void RatingDesk::rectify(Date day) {
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    std::vector<Step>& steps = it->second;
    while (!steps.empty() && steps.front().day <= day) {
      const Step step = steps.front();
      const std::string who = rectifier(it->first, step.verb);
      if (who.empty()) {  // nobody of the unit at work today: tomorrow
        ++desk_.counts["rectification_nobody"];
        break;
      }
      steps.erase(steps.begin());
      desk_.engine.act(it->first, step.verb, {.actor = who, .reason = step.reason});
      ++desk_.counts[std::string(to_string(step.verb))];
    }
    if (steps.empty()) it = tasks_.erase(it);
    else ++it;
  }
}

// 谁办理谁负责: the unit's back-office holders first, then its windows, then their
// supervisors; A, or B while A is away. The engine says who may.
std::string RatingDesk::rectifier(CaseId id, Verb verb) const {
  const CaseView c = desk_.engine.get(id);
  if (!c.rectification) return {};
  const auto dept = rules_.find_department(c.rectification->department);
  std::vector<StaffRef> candidates;
  for (int pass = 0; pass < 3; ++pass)
    for (const Post& p : rules_.posts()) {
      if (!dept || p.department != *dept) continue;
      if (pass == 0 && p.role != PostRole::back_office) continue;
      if (pass == 1 && p.role == PostRole::back_office) continue;
      if (pass == 2) {
        if (!p.supervisor) continue;
        const Post& s = rules_.post(*p.supervisor);
        candidates.insert(candidates.end(), {s.a, s.b});
      } else {
        candidates.insert(candidates.end(), {p.a, p.b});
      }
    }
  for (StaffRef s : candidates) {
    const std::string& who = rules_.staff(s).id;
    if (desk_.away(who)) continue;
    const std::vector<Verb> can = desk_.engine.available_actions(id, who);
    if (std::find(can.begin(), can.end(), verb) != can.end()) return who;
  }
  return {};
}

}  // namespace workflow::cli::sim
