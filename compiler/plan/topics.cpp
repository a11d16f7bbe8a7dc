// Slytherin's part of the system plan: each topic's settings with their defaults, and the
// consumers of each topic (groups, members). Every refusal says what to write instead.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "plan/plan.h"

namespace pt {

const char* spelling(Durability d) {
  switch (d) {
    case Durability::kNone:
      return "none";
    case Durability::kFsyncBatched:
      return "fsync_batched";
    case Durability::kFsyncEveryWrite:
      return "fsync_every_write";
  }
  return "";
}

const char* spelling(TopicEncoding e) {
  return e == TopicEncoding::kJson ? "json" : "binary";
}

namespace {

constexpr std::int64_t kMaxPartitions = 1024;
constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kMaxFsyncDelay = 10'000 * kMs;
constexpr std::int64_t kMinSegment = 1024;
constexpr std::int64_t kMaxSegment = 1LL << 30;

const std::vector<std::string>& topic_settings() {
  static const std::vector<std::string> names = {"partitions",    "retention",  "retention_bytes",
                                                 "segment_bytes", "durability", "latency_budget",
                                                 "key",           "encoding"};
  return names;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// A literal whole number or duration, with an optional minus sign: `-5`, `-3 days`.
bool literal(const Expr* e, ExprKind kind, std::int64_t& out) {
  if (e == nullptr) return false;
  if (e->kind == kind) {
    out = e->int_value;
    return true;
  }
  if (e->kind == ExprKind::kUnary && e->unary_op == UnaryOp::kNeg && e->children[0]->kind == kind) {
    out = -e->children[0]->int_value;
    return true;
  }
  return false;
}

// The range a diagnostic about a setting's value points at.
SourceRange value_range(const Setting& s) {
  if (s.value_range.line != 0) return s.value_range;
  return s.value ? s.value->range : s.range;
}

// A plain value that is one word: `binary`, `fsync_every_write`, `none`.
bool word_value(const Setting& s, std::string& out) {
  if (!s.words.empty() || s.has_args || !s.value) return false;
  if (s.value->kind == ExprKind::kName) {
    out = s.value->text;
    return true;
  }
  if (s.value->kind == ExprKind::kNoneLit) {
    out = "none";
    return true;
  }
  return false;
}

class TopicPlanner {
 public:
  TopicPlanner(const Decl& d, DiagnosticSink& sink) : d_(d), sink_(sink) {
    std::map<std::string, const Setting*> seen;
    for (const Setting& s : d.settings) {
      const auto& known = topic_settings();
      if (std::find(known.begin(), known.end(), s.name) == known.end()) {
        Diagnostic diag = diag::TopicUnknownSetting(s.range, s.name, join(known));
        std::string guess = closest(s.name, known);
        if (!guess.empty()) diag.fix("did you mean '" + guess + "'?", s.range, guess);
        sink_.report(std::move(diag));
        continue;
      }
      auto [it, inserted] = seen.emplace(s.name, &s);
      if (!inserted) {
        sink_.report(
            diag::TopicDuplicateSetting(s.range, s.name).note(it->second->range, "the first one"));
        continue;
      }
      by_name_[s.name] = &s;
    }
  }

  TopicPlan plan() {
    TopicPlan t;
    t.decl = &d_;
    partitions(t);
    retention(t);
    segment_bytes(t);
    durability(t);
    latency_budget(t);
    key(t);
    encoding(t);
    return t;
  }

 private:
  const Setting* get(const char* name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second;
  }

  void partitions(TopicPlan& t) {
    const Setting* s = get("partitions");
    if (s == nullptr) {
      sink_.report(diag::TopicPartitions(d_.name_range, d_.name,
                                         "it needs `partitions: N`, a whole number from 1 to 1024")
                       .note("partitions are the unit of order and of sharing in a consumer "
                             "group; write `partitions: 1` for one ordered log"));
      return;
    }
    std::int64_t n = 0;
    if (!literal(s->value.get(), ExprKind::kIntLit, n) || !s->words.empty() || s->has_args ||
        n < 1 || n > kMaxPartitions) {
      sink_.report(diag::TopicPartitions(value_range(*s), d_.name,
                                         "partitions must be a whole number from 1 to 1024"));
      return;
    }
    t.partitions = static_cast<int>(n);
  }

  void retention(TopicPlan& t) {
    if (const Setting* s = get("retention")) {
      std::int64_t ns = 0;
      if (!literal(s->value.get(), ExprKind::kDurationLit, ns) || !s->words.empty() ||
          s->has_args) {
        sink_.report(diag::TopicRetention(value_range(*s), d_.name,
                                          "retention must be a duration such as `7 days`; leave "
                                          "it out to keep records forever"));
      } else if (ns < kMs) {
        sink_.report(diag::TopicRetention(value_range(*s), d_.name,
                                          ns <= 0 ? "retention must be above zero; leave it out "
                                                    "to keep records forever"
                                                  : "retention must be at least 1 ms"));
      } else {
        t.retention_ms = ns / kMs;
      }
    }
    if (const Setting* s = get("retention_bytes")) {
      std::int64_t n = 0;
      if (!literal(s->value.get(), ExprKind::kIntLit, n) || !s->words.empty() || s->has_args ||
          n <= 0) {
        sink_.report(diag::TopicRetention(value_range(*s), d_.name,
                                          "retention_bytes must be a whole number of bytes above "
                                          "zero (per partition); leave it out for no size bound"));
      } else {
        t.retention_bytes = n;
      }
    }
  }

  void segment_bytes(TopicPlan& t) {
    const Setting* s = get("segment_bytes");
    if (s == nullptr) return;
    std::int64_t n = 0;
    if (!literal(s->value.get(), ExprKind::kIntLit, n) || !s->words.empty() || s->has_args ||
        n < kMinSegment || n > kMaxSegment) {
      sink_.report(diag::TopicSegmentBytes(
          value_range(*s), d_.name,
          "segment_bytes must be a whole number from 1024 to 1073741824 (1 GiB); the default "
          "is 67108864 (64 MiB)"));
      return;
    }
    t.segment_bytes = n;
  }

  void durability(TopicPlan& t) {
    const Setting* s = get("durability");
    if (s == nullptr) return;
    static const std::vector<std::string> kWords = {"none", "fsync_batched", "fsync_every_write"};
    std::string word;
    if (s->has_args && !s->words.empty()) {
      word = s->words[0];
    } else if (!word_value(*s, word)) {
      if (s->value && s->value->kind == ExprKind::kCall &&
          s->value->children[0]->kind == ExprKind::kName &&
          s->value->children[0]->text == "fsync_batched") {
        sink_.report(
            diag::TopicDurability(value_range(*s), d_.name,
                                  "fsync_batched names its argument: write "
                                  "`fsync_batched(max_delay: 5 ms)`")
                .fix("name the argument", value_range(*s), "fsync_batched(max_delay: 5 ms)"));
        return;
      }
      sink_.report(diag::TopicDurability(value_range(*s), d_.name,
                                         "durability must be none, fsync_every_write or "
                                         "fsync_batched(max_delay: DURATION)"));
      return;
    }
    auto it = std::find(kWords.begin(), kWords.end(), word);
    if (it == kWords.end()) {
      SourceRange r = s->word_ranges.empty() ? value_range(*s) : s->word_ranges[0];
      Diagnostic diag = diag::TopicDurability(r, d_.name,
                                              "durability must be none, fsync_every_write or "
                                              "fsync_batched(max_delay: DURATION)");
      std::string guess = closest(word, kWords);
      if (!guess.empty()) diag.fix("did you mean '" + guess + "'?", r, guess);
      sink_.report(std::move(diag));
      return;
    }
    t.durability = static_cast<Durability>(it - kWords.begin());
    if (!s->has_args) return;
    if (t.durability != Durability::kFsyncBatched) {
      sink_.report(diag::TopicDurability(value_range(*s), d_.name,
                                         word + " takes no arguments; only fsync_batched has a "
                                                "max_delay")
                       .fix("write " + word, value_range(*s), word));
      return;
    }
    bool delay_seen = false;
    for (const Setting& a : s->args) {
      if (a.name != "max_delay" || delay_seen) {
        sink_.report(diag::TopicDurability(a.range, d_.name,
                                           delay_seen
                                               ? "max_delay is given twice"
                                               : "fsync_batched takes one argument, max_delay")
                         .fix("write max_delay", a.range, "max_delay"));
        continue;
      }
      delay_seen = true;
      std::int64_t ns = 0;
      if (!literal(a.value.get(), ExprKind::kDurationLit, ns) || ns <= 0 || ns > kMaxFsyncDelay) {
        sink_.report(diag::TopicDurability(
            value_range(a), d_.name,
            "max_delay must be a duration above zero and at most 10 seconds (for an fsync of "
            "every write, write `durability: fsync_every_write`)"));
        continue;
      }
      t.fsync_max_delay_ns = ns;
    }
  }

  void latency_budget(TopicPlan& t) {
    const Setting* s = get("latency_budget");
    if (s == nullptr) return;
    static const std::vector<std::string> kQuantiles = {"p50", "p90", "p99", "p999"};
    static const double kValues[] = {0.5, 0.9, 0.99, 0.999};
    const char* form = "write it as `latency_budget: p99 under 2 ms` (p50, p90, p99 or p999)";
    if (s->words.size() != 2 || s->has_args || !s->value) {
      sink_.report(diag::TopicLatencyBudget(value_range(*s), d_.name,
                                            std::string("a latency budget is a quantile, `under` "
                                                        "and a duration: ") +
                                                form));
      return;
    }
    auto q = std::find(kQuantiles.begin(), kQuantiles.end(), s->words[0]);
    if (q == kQuantiles.end()) {
      // No "did you mean": p95 is not a typo of p90 or p99, the choice is the user's.
      sink_.report(diag::TopicLatencyBudget(
          s->word_ranges[0], d_.name,
          "'" + s->words[0] + "' is not a quantile the monitor measures: p50, p90, p99 or p999"));
      return;
    }
    if (s->words[1] != "under") {
      sink_.report(
          diag::TopicLatencyBudget(s->word_ranges[1], d_.name,
                                   "expected `under` after the quantile: " + std::string(form))
              .fix("write `under`", s->word_ranges[1], "under"));
      return;
    }
    std::int64_t ns = 0;
    if (!literal(s->value.get(), ExprKind::kDurationLit, ns) || ns <= 0) {
      sink_.report(diag::TopicLatencyBudget(
          s->value->range, d_.name, "the bound of a latency budget is a duration above zero"));
      return;
    }
    t.has_budget = true;
    t.budget_quantile = *q;
    t.quantile = kValues[q - kQuantiles.begin()];
    t.budget_ns = ns;
  }

  void key(TopicPlan& t) {
    const Setting* s = get("key");
    if (s == nullptr) return;
    const Type* carried = d_.carried ? d_.carried->resolved : nullptr;
    if (carried == nullptr || !carried->is(Type::Kind::kSchema)) return;  // PT7003 said it
    const Decl& schema = *carried->decl;
    std::string name;
    if (!word_value(*s, name) || name == "none") {
      const Expr* v = s->value.get();
      std::string shown = v != nullptr && v->kind == ExprKind::kStringLit && v->children.empty()
                              ? "\"" + v->pieces[0] + "\""
                              : "this";
      Diagnostic diag = diag::TopicKeyNotField(value_range(*s), shown, schema.name, d_.name);
      if (v != nullptr && v->kind == ExprKind::kStringLit && v->children.empty()) {
        // `key: "customer_id"`: the name of a field, not a string.
        diag.fix("write the field's name without quotes", v->range, v->pieces[0]);
      } else {
        diag.note("write the name of one field: `key: customer_id`");
      }
      sink_.report(std::move(diag));
      return;
    }
    std::vector<std::string> fields;
    for (const FieldDecl& f : schema.fields) {
      if (f.name == name) {
        const Type* ft = f.type.resolved;
        using K = Type::Kind;
        if (ft != nullptr && !ft->is_error() && !ft->is(K::kI64) && !ft->is(K::kString) &&
            !ft->is(K::kBool) && !ft->is(K::kEnum)) {
          sink_.report(
              diag::TopicKeyType(s->value->range, name, type_name(ft)).note(f.range, "the field"));
          return;
        }
        t.key = &f;
        return;
      }
      fields.push_back(f.name);
    }
    Diagnostic diag = diag::TopicKeyNotField(s->value->range, name, schema.name, d_.name);
    std::string guess = closest(name, fields);
    if (!guess.empty()) {
      diag.fix("did you mean '" + guess + "'?", s->value->range, guess);
    } else if (!fields.empty()) {
      diag.note("its fields are " + join(fields));
    }
    sink_.report(std::move(diag));
  }

  void encoding(TopicPlan& t) {
    const Setting* s = get("encoding");
    if (s == nullptr) return;
    std::string word;
    if (word_value(*s, word) && (word == "binary" || word == "json")) {
      t.encoding = word == "json" ? TopicEncoding::kJson : TopicEncoding::kBinary;
      return;
    }
    Diagnostic diag = diag::TopicEncoding(value_range(*s), d_.name);
    std::string guess = word.empty() ? "" : closest(word, {"binary", "json"});
    if (!guess.empty()) diag.fix("did you mean '" + guess + "'?", value_range(*s), guess);
    sink_.report(std::move(diag));
  }

  const Decl& d_;
  DiagnosticSink& sink_;
  std::map<std::string, const Setting*> by_name_;
};

bool valid_group(const std::string& g) {
  if (g.empty() || g.size() > 249) return false;
  for (char c : g) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The group name with every character outside [A-Za-z0-9._-] made a '-'.
std::string repaired_group(const std::string& g) {
  std::string out;
  for (char c : g) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    out += ok ? c : '-';
  }
  return out.substr(0, 249);
}

}  // namespace

TopicPlan plan_topic(const Decl& d, DiagnosticSink& sink) {
  return TopicPlanner(d, sink).plan();
}

void check_topic_names(const SystemPlan& plan, DiagnosticSink& sink) {
  std::map<std::string, const Decl*> first;
  for (const TopicPlan& t : plan.topics) {
    auto [it, inserted] = first.emplace(t.decl->name, t.decl);
    if (inserted) continue;
    const Decl& other = *it->second;
    sink.report(diag::DuplicateTopicName(t.decl->name_range, t.decl->name, other.module->name,
                                         t.decl->module->name)
                    .note(other.name_range, "the first declaration"));
  }
}

void plan_consumers(SystemPlan& plan, const Program& program, DiagnosticSink& sink) {
  std::map<std::pair<const Decl*, std::string>, const Decl*> groups;
  for (const auto& m : program.modules) {
    for (const auto& dp : m->decls) {
      const Decl& d = *dp;
      if (d.kind != DeclKind::kConsumer) continue;
      if (!valid_group(d.group)) {
        Diagnostic diag = diag::BadConsumerGroup(
            d.group_range, d.group,
            d.group.empty() ? "is empty: a group needs a name"
                            : "may only use A-Z, a-z, 0-9, '.', '_' and '-' (at most 249)");
        if (!d.group.empty()) {
          diag.fix("write \"" + repaired_group(d.group) + "\"", d.group_range,
                   "\"" + repaired_group(d.group) + "\"");
        } else {
          diag.note("name it after what the consumer does: `group \"" + d.name + "\"`");
        }
        sink.report(std::move(diag));
      }
      TopicPlan* topic = nullptr;
      for (TopicPlan& t : plan.topics) {
        if (t.decl == d.topic) topic = &t;
      }
      SourceRange where = d.has_members ? d.members_range : d.name_range;
      if (d.group_members < 1) {
        sink.report(diag::ConsumerMembers(where, d.name, "members must be at least 1")
                        .fix("write members 1", where, "1"));
      } else if (topic != nullptr && d.group_members > topic->partitions) {
        sink.report(
            diag::ConsumerMembers(where, d.name,
                                  fmt::format("it has {} members but topic '{}' has {} "
                                              "partition{}: a member beyond the partition count "
                                              "would read nothing",
                                              d.group_members, topic->decl->name, topic->partitions,
                                              topic->partitions == 1 ? "" : "s"))
                .note(topic->decl->name_range,
                      fmt::format("write at most `members {}`, or give the topic more partitions",
                                  topic->partitions)));
      }
      if (topic == nullptr) continue;
      topic->consumers.push_back(&d);
      auto [it, inserted] = groups.emplace(std::make_pair(d.topic, d.group), &d);
      if (!inserted) {
        const Decl& first = *it->second;
        sink.report(
            diag::DuplicateConsumerGroup(d.group_range, first.name, d.name, d.topic->name, d.group)
                .note(first.group_range, "'" + first.name + "' reads it as this group")
                .note("for several instances of one consumer write `members N`; for two "
                      "consumers that each see every record, give them different groups"));
      }
    }
  }
}

}  // namespace pt
