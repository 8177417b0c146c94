#include "engine/case_codec.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <fmt/format.h>

#include "engine/snapshot_reader.hpp"
#include "engine/snapshot_writer.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

// Writes or reads the listed fields in order: each list below serves both ways, so encode
// and decode cannot drift apart.
template <class Io>
constexpr bool is_writer = std::is_same_v<Io, Writer> || std::is_same_v<Io, PackedWriter>;

template <class Io, class... Field>
void transfer(Io& io, Field&... f) {
  if constexpr (is_writer<Io>) {
    using E = typename Io::encoding;
    char* at = io.room((E::template max_size<std::remove_const_t<Field>>() + ...));
    ((at = E::store(at, f)), ...);
    io.give_back(at);
  } else {
    (io.get(f), ...);
  }
}

// `agent` is the village agent's StaffRef or kNone: a field of its own in the bytes (format 1
// had no agent post), the first handler of a proxy case in the record.
template <class Io, class Record>
void fields(Io& io, Record& c, std::uint32_t& agent) {
  transfer(io, c.id, c.matter, c.accepting_office, c.office, c.intake_post, c.post, c.holder,
           c.first_handler, agent, c.delegation, c.life.phase, c.life.suspended, c.holding,
           c.decision, c.light, c.stage, c.extension_days, c.notified, c.on_promise,
           c.tolerance, c.suspended_days, c.suspended_at_opinions, c.materials,
           c.opinions_answered, c.opinions_agreed, c.timer_generation, c.last_seq, c.received,
           c.accepted, c.suspended_since, c.supplement_due, c.opinions_since,
           c.deadlines.promised_due, c.deadlines.legal_due, c.deadlines.yellow_from,
           c.deadlines.red_from, c.deadlines.escalated_red_from);
}

// The fields format 2 added, after the applicant.
template <class Io, class Record>
void format2_fields(Io& io, Record& c, std::uint32_t& bundle_def) {
  transfer(io, c.issue_office, c.agent_post, c.bundle, bundle_def, c.concluded);
}

// The fields format 3 added, at the end: the case's rule version, its provisional flag, the
// day its materials were completed after a notice.
template <class Io, class Record>
void format3_fields(Io& io, Record& c) {
  transfer(io, c.rules_version, c.deadlines_provisional, c.materials_completed);
}

// The fields format 4 added, at the end: the time limits of the law beyond the deadlines
// (§43, §44, stage shares, 告知承诺 verification).
template <class Io, class Record>
void format4_fields(Io& io, Record& c) {
  transfer(io, c.decided_on, c.stages_overdue, c.law_flags, c.verification);
}

// A case stored before format 4: what its new fields are, so it times only what it can.
void format4_defaults(CaseRecord& c) {
  if (c.life.phase >= Phase::decided) c.law_flags |= kDecidedOnUnknown;
  if (c.life.phase == Phase::back_office_review) c.law_flags |= kStageSinceUnknown;
  // An approval on commitment stored before verification was recorded is still to verify.
  if (c.on_promise && c.decision == Decision::approved && c.life.phase <= Phase::issued) {
    c.verification = Verification::pending;
  }
}

// The fields format 5 added, in one block after format 4's (hall operations): how the
// application came (渠道) and the assistance given (帮办), the post whose stage the 办不成事
// window holds while A and B are away (kNone before format 5). A snapshot without this block
// decodes with the defaults (window, none, kNone).
template <class Io, class Record>
void operations_fields(Io& io, Record& c) {
  transfer(io, c.channel, c.assisted, c.home_post);
}

// The block format 6 added at the end (the centre's oversight): a flag, then the case's
// supervision orders (督办) and reassignments (改派). A snapshot without it has none.
template <class Io, class Order>
void order_fields(Io& io, Order& r) {
  transfer(io, r.issuer, r.issuer_post, r.unit, r.issued, r.due, r.reply_days, r.state, r.light,
           r.has_reply, r.replied, r.replier, r.ended, r.ender);
}

template <class Io, class Move>
void reassignment_fields(Io& io, Move& m) {
  transfer(io, m.time, m.actor, m.actor_post, m.from, m.to);
}

template <class W>
void encode_oversight(W& w, const OversightRecord* o) {
  w.put(o != nullptr);
  if (!o) return;
  w.put(static_cast<std::uint32_t>(o->orders.size()));
  for (const OrderRecord& r : o->orders) {
    order_fields(w, r);
    w.put_text(r.reason);
    w.put_text(r.reply);
    w.put_text(r.outcome);
  }
  w.put(static_cast<std::uint32_t>(o->reassignments.size()));
  for (const ReassignmentRecord& m : o->reassignments) {
    reassignment_fields(w, m);
    w.put_text(m.reason);
  }
}

template <class R>
void decode_oversight(R& r, std::optional<OversightRecord>& out) {
  bool present = false;
  r.get(present);
  if (!present) return;
  OversightRecord& o = out.emplace();
  std::uint32_t n = 0;
  r.get(n);
  // The fixed fields (41 bytes, or 13 packed) and three empty texts.
  r.need_entries(n, 53, 16);
  o.orders.resize(n);
  for (OrderRecord& order : o.orders) {
    order_fields(r, order);
    r.get_text(order.reason);
    r.get_text(order.reply);
    r.get_text(order.outcome);
  }
  r.get(n);
  r.need_entries(n, 28, 6);  // time, actor, three posts, an empty reason
  o.reassignments.resize(n);
  for (ReassignmentRecord& m : o.reassignments) {
    reassignment_fields(r, m);
    r.get_text(m.reason);
  }
}

// The block format 7 added, after format 6's oversight block: the coordination of a case
// sent to the 办不成事反映窗口 (a presence byte, then the record and its two texts). A snapshot without
// it has no coordination.
template <class Io, class Coordination>
void coordination_fields(Io& io, Coordination& r) {
  transfer(io, r.state, r.window, r.sent_by, r.sent_post, r.sent, r.unit, r.handed_by, r.handed,
           r.settle_days, r.due, r.light, r.settled_by, r.settled, r.generation);
}

template <class Io, class Rating>
void rating_fields(Io& io, Rating& r) {
  transfer(io, r.score, r.channel, r.named, r.time, r.task, r.state, r.resolution,
           r.called_back, r.light, r.unit, r.opened, r.due, r.closed, r.generation);
}

// Every value that indexes a table or picks a branch must be one the engine can have written:
// a snapshot edited by hand must not read past an array or reach an impossible state
// (docs/storage.md, "Trusting what is stored"). References into the rule set are checked
// against it on recovery (engine_recovery.cpp).
void check_ranges(const CaseRecord& c, const std::optional<RatingRecord>& rating,
                  const std::optional<OversightRecord>& oversight,
                  const std::optional<CoordinationRecord>& coordination, CaseId id) {
  const auto bad = [&](const char* what, int value) {
    throw Error(ErrorCode::store_error,
                fmt::format("the snapshot of case {} is corrupt: {} {} is out of range", id,
                            what, value));
  };
  if (static_cast<int>(c.life.phase) >= phase_count) bad("phase", int(c.life.phase));
  if (c.light > Light::escalated_red) bad("light", int(c.light));
  if (c.decision > Decision::denied) bad("decision", int(c.decision));
  if (c.holding > Holding::unresolved) bad("holding", int(c.holding));
  if (c.channel > SubmissionChannel::village_agent) bad("channel", int(c.channel));
  if (c.assisted > Assistance::township) bad("assistance", int(c.assisted));
  if (c.stage >= 32) bad("stage", c.stage);  // the engine supports 32 stages per matter
  if (c.verification > Verification::false_commitment) bad("verification", int(c.verification));
  if (oversight) {
    for (const OrderRecord& o : oversight->orders) {
      if (o.state > OrderState::escalated) bad("order state", int(o.state));
      if (o.light > Light::red) bad("order light", int(o.light));
      if (o.reply_days < 1) bad("order reply days", o.reply_days);
    }
  }
  if (coordination) {
    if (coordination->state > CoordinationState::settled) {
      bad("coordination state", int(coordination->state));
    }
    if (coordination->light > Light::red) bad("coordination light", int(coordination->light));
  }
  if (!rating) return;
  if (rating->score < 1 || rating->score > 5) bad("rating score", rating->score);
  if (rating->channel > RatingChannel::phone) bad("rating channel", int(rating->channel));
  if (rating->state > RectificationState::closed) bad("rectification state", int(rating->state));
  if (rating->resolution > Resolution::appeal) bad("rectification resolution", int(rating->resolution));
  if (rating->light > Light::escalated_red) bad("rectification light", int(rating->light));
}

// A snapshot's bytes after its format byte, in either encoding.
template <class W>
void encode_body(W& w, const CaseRecord& c, std::string_view applicant,
                 const CaseExtras& extras) {
  std::uint32_t agent = c.agent_post != kNone ? index_of(c.first_handler) : kNone;
  fields(w, c, agent);
  w.put_text(applicant);
  std::uint32_t bundle_def = extras.bundle_def;
  format2_fields(w, c, bundle_def);
  w.put(extras.rating != nullptr);
  if (extras.rating) {
    rating_fields(w, *extras.rating);
    w.put_text(extras.rating->comment);
  }
  format3_fields(w, c);
  format4_fields(w, c);
  operations_fields(w, c);
  encode_oversight(w, extras.oversight);
  w.put(extras.coordination != nullptr);
  if (extras.coordination) {
    CoordinationRecord copy = *extras.coordination;  // transfer takes lvalues
    coordination_fields(w, copy);
    w.put_text(copy.reason);
    w.put_text(copy.outcome);
  }
}

// Reads what follows the format byte: the fields of `format` (1 to 7 fixed-width, 8 packed).
template <class R>
void decode_body(R& r, std::uint8_t format, CaseRecord& c, std::string& applicant,
                 DecodedExtras& out) {
  std::uint32_t agent = kNone;
  fields(r, c, agent);
  r.get_text(applicant);
  if (format == 1) {
    c.issue_office = c.accepting_office;
    out.format1_agent = agent;
  } else {
    format2_fields(r, c, out.bundle_def);
    bool rated = false;
    r.get(rated);
    if (rated) {
      RatingRecord& rating = out.rating.emplace();
      rating_fields(r, rating);
      r.get_text(rating.comment);
    }
    if (format >= 3) format3_fields(r, c);
  }
  if (format >= 4) {
    format4_fields(r, c);
  } else {
    format4_defaults(c);
  }
  if (format >= 5) operations_fields(r, c);
  if (format >= 6) decode_oversight(r, out.oversight);
  if (format >= 7) {
    bool coordinated = false;
    r.get(coordinated);
    if (coordinated) {
      CoordinationRecord& coordination = out.coordination.emplace();
      coordination_fields(r, coordination);
      r.get_text(coordination.reason);
      r.get_text(coordination.outcome);
    }
  }
  r.finish();
}

}  // namespace

std::string encode_case(const CaseRecord& c, std::string_view applicant,
                        const CaseExtras& extras) {
  std::string out;
  encode_case_into(out, c, applicant, extras);
  return out;
}

void encode_case_into(std::string& out, const CaseRecord& c, std::string_view applicant,
                      const CaseExtras& extras) {
  // Written first into this thread's scratch buffer, which has room for every field at its
  // longest (about 250 bytes), then copied into `out`: a store keeps `out` (the memory store
  // a million of them), so it should hold a case's 80 bytes, not the room for 250.
  thread_local std::string scratch;
  PackedWriter w(std::move(scratch), 320 + applicant.size());
  w.put(kCaseFormat);
  encode_body(w, c, applicant, extras);
  scratch = std::move(w).finish();
  const std::size_t n = scratch.size();
  // A buffer too small, or far too large (it once held an unusually long snapshot), is
  // replaced by one of the allocator's 16-byte steps that holds n: one a snapshot a byte
  // longer than the last still fits in, without doubling.
  if (out.capacity() < n || out.capacity() > 4 * n + 64) {
    std::string exact;
    exact.reserve(((n + 16) & ~std::size_t{15}) - 1);
    out.swap(exact);
  }
  out.assign(scratch);
}

std::string encode_case_format7(const CaseRecord& c, std::string_view applicant,
                                const CaseExtras& extras) {
  Writer w(192 + applicant.size());
  w.put(std::uint8_t{7});
  encode_body(w, c, applicant, extras);
  return std::move(w).finish();
}

void decode_case(const CaseSnapshot& s, CaseRecord& c, std::string& applicant,
                 DecodedExtras* extras) {
  Reader r(s.encoded, s.id);
  std::uint8_t format = 0;
  r.get(format);
  if (format < 1 || format > kCaseFormat) {
    throw Error(ErrorCode::store_error,
                fmt::format("the snapshot of case {} has format {}, this library reads 1 to {}",
                            s.id, format, kCaseFormat));
  }
  DecodedExtras local;
  DecodedExtras& out = extras ? *extras : local;
  if (format >= 8) {
    BasicReader<Packed> packed(s.encoded, s.id, 1);
    decode_body(packed, format, c, applicant, out);
  } else {
    decode_body(r, format, c, applicant, out);
  }
  check_ranges(c, out.rating, out.oversight, out.coordination, s.id);
  if (c.id != s.id) {
    throw Error(ErrorCode::store_error,
                fmt::format("the snapshot stored as case {} says it is case {}", s.id, c.id));
  }
}

std::string encode_engine_state(std::string_view rules_version, const Roster& roster) {
  Writer w(64 + 32 * roster.size());
  w.put(kEngineStateFormat);
  w.put_text(rules_version);
  w.put(static_cast<std::uint32_t>(roster.size()));
  for (std::uint32_t i = 0; i < roster.size(); ++i) {
    const Roster::Absence& a = roster.absence(StaffRef{i});
    w.put(a.set);
    w.put(a.kind);
    w.put(a.from);
    w.put(a.until);
  }
  return std::move(w).finish();
}

EngineState decode_engine_state(std::string_view bytes) {
  Reader r(bytes, 0);
  std::uint8_t format = 0;
  r.get(format);
  if (format != kEngineStateFormat) {
    throw Error(ErrorCode::store_error,
                fmt::format("the engine state has format {}, this library reads {}", format,
                            kEngineStateFormat));
  }
  EngineState state;
  r.get_text(state.rules_version);
  std::uint32_t n = 0;
  r.get(n);
  r.need_entries(n, 18, 18);  // set, kind, from, until: 1 + 1 + 8 + 8 bytes each
  state.absences.resize(n);
  for (Roster::Absence& a : state.absences) {
    r.get(a.set);
    r.get(a.kind);
    r.get(a.from);
    r.get(a.until);
  }
  r.finish();
  return state;
}

}  // namespace workflow::detail
