// The system plan: partition and channel settings, who sends and receives on each channel,
// and the cores the partitions need.
#include "plan/plan.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace pt {

const char* spelling(SchedulerKind k) {
  switch (k) {
    case SchedulerKind::kBackendApi:
      return "backend_api";
    case SchedulerKind::kMessaging:
      return "messaging";
    case SchedulerKind::kDatabase:
      return "database";
    case SchedulerKind::kUi:
      return "ui";
  }
  return "";
}

const char* spelling(ChannelKind k) {
  switch (k) {
    case ChannelKind::kSpsc:
      return "spsc";
    case ChannelKind::kMpsc:
      return "mpsc";
    case ChannelKind::kBroadcast:
      return "broadcast";
    case ChannelKind::kSharedMemory:
      return "shared_memory";
  }
  return "";
}

const PartitionPlan* SystemPlan::partition(const Decl* d) const {
  for (const PartitionPlan& p : partitions) {
    if (p.decl == d) return &p;
  }
  return nullptr;
}

const ChannelPlan* SystemPlan::channel(const Decl* d) const {
  for (const ChannelPlan& c : channels) {
    if (c.decl == d) return &c;
  }
  return nullptr;
}

int ChannelPlan::first_lane(const Decl* sender) const {
  int lane = 0;
  for (std::size_t i = 0; i < senders.size(); ++i) {
    if (senders[i] == sender) return lane;
    lane += copies[i];
  }
  return lane;
}

const TopicPlan* SystemPlan::topic(const Decl* d) const {
  for (const TopicPlan& t : topics) {
    if (t.decl == d) return &t;
  }
  return nullptr;
}

namespace {

constexpr std::int64_t kMaxCores = 256;
constexpr std::int64_t kMaxCapacity = 1 << 20;
constexpr std::int64_t kMs = 1'000'000;

// Reads the settings of one declaration: each name known, given once, with the right kind of
// value. `known` lists the names in the order the docs give them.
class SettingsReader {
 public:
  SettingsReader(const Decl& d, const char* what, std::vector<std::string> known,
                 DiagnosticSink& sink)
      : decl_(d), what_(what), known_(std::move(known)), sink_(sink) {
    std::map<std::string, SourceRange> seen;
    for (const Setting& s : d.settings) {
      if (std::find(known_.begin(), known_.end(), s.name) == known_.end()) {
        std::string list;
        for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
        Diagnostic diag = diag::UnknownSetting(s.range, s.name, what_, list);
        std::string guess = closest(s.name, known_);
        if (!guess.empty()) diag.fix("did you mean '" + guess + "'?", s.range, guess);
        sink_.report(std::move(diag));
        continue;
      }
      auto [it, inserted] = seen.emplace(s.name, s.range);
      if (!inserted) {
        sink_.report(diag::BadSettingValue(s.range, s.name, "it is given twice")
                         .note(it->second, "the first one"));
        continue;
      }
      by_name_[s.name] = &s;
    }
  }

  const Setting* get(const std::string& name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second;
  }

  void require(const std::string& name) {
    if (get(name) == nullptr) {
      sink_.report(diag::MissingSetting(decl_.name_range, what_, decl_.name, name));
    }
  }

  // A word among `choices`; returns its index, or -1 when absent or wrong (reported).
  int word(const std::string& name, const std::vector<std::string>& choices) {
    const Setting* s = get(name);
    if (s == nullptr || !s->value) return -1;
    const Expr& v = *s->value;
    auto it = v.kind == ExprKind::kName ? std::find(choices.begin(), choices.end(), v.text)
                                        : choices.end();
    if (it != choices.end()) return static_cast<int>(it - choices.begin());
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
    Diagnostic diag = diag::BadSettingValue(v.range, name, "it must be one of " + list);
    std::string guess = v.kind == ExprKind::kName ? closest(v.text, choices) : "";
    if (!guess.empty()) diag.fix("did you mean '" + guess + "'?", v.range, guess);
    sink_.report(std::move(diag));
    return -1;
  }

  // A whole number in [low, high]; `fallback` when absent or wrong (reported).
  std::int64_t number(const std::string& name, std::int64_t low, std::int64_t high,
                      std::int64_t fallback) {
    const Setting* s = get(name);
    if (s == nullptr || !s->value) return fallback;
    const Expr& v = *s->value;
    if (v.kind != ExprKind::kIntLit || v.int_value < low || v.int_value > high) {
      sink_.report(diag::BadSettingValue(
          v.range, name, fmt::format("it must be a whole number from {} to {}", low, high)));
      return fallback;
    }
    return v.int_value;
  }

  // A duration literal in [low, high] nanoseconds; `fallback` when absent or wrong (reported).
  std::int64_t duration(const std::string& name, std::int64_t low, std::int64_t high,
                        const char* shown, std::int64_t fallback) {
    const Setting* s = get(name);
    if (s == nullptr || !s->value) return fallback;
    const Expr& v = *s->value;
    if (v.kind != ExprKind::kDurationLit || v.int_value < low || v.int_value > high) {
      sink_.report(
          diag::BadSettingValue(v.range, name, std::string("it must be a duration ") + shown));
      return fallback;
    }
    return v.int_value;
  }

 private:
  const Decl& decl_;
  const char* what_;
  std::vector<std::string> known_;
  DiagnosticSink& sink_;
  std::map<std::string, const Setting*> by_name_;
};

PartitionPlan plan_partition(const Decl& d, DiagnosticSink& sink) {
  PartitionPlan p;
  p.decl = &d;
  SettingsReader r(d, "partition", {"cores", "scheduler", "priority", "on_failure", "stall_bound"},
                   sink);
  r.require("cores");
  r.require("scheduler");
  p.cores = static_cast<int>(r.number("cores", 1, kMaxCores, 1));
  int k = r.word("scheduler", {"backend_api", "messaging", "database", "ui"});
  if (k >= 0) p.scheduler = static_cast<SchedulerKind>(k);
  p.realtime = r.word("priority", {"normal", "realtime"}) == 1;
  p.restart = r.word("on_failure", {"stop_program", "restart"}) == 1;
  p.stall_bound_ns =
      r.duration("stall_bound", kMs, 3600 * 1000 * kMs, "from 1 ms to 1 hour", p.stall_bound_ns);
  return p;
}

// Why a type cannot live in shared memory ("a string", ...), or "" when it can.
std::string not_fixed_size(const Type* t) {
  using K = Type::Kind;
  switch (t->kind) {
    case K::kString:
      return "a string";
    case K::kBytes:
      return "bytes";
    case K::kList:
      return "a list";
    case K::kMap:
      return "a map";
    case K::kOptional:
      return "an optional";
    case K::kSchema:
      for (const FieldDecl& f : t->decl->fields) {
        if (f.type.resolved == nullptr) continue;
        std::string why = not_fixed_size(f.type.resolved);
        if (!why.empty()) return why + " (field '" + f.name + "')";
      }
      return "";
    default:
      return "";
  }
}

ChannelPlan plan_channel(const Decl& d, DiagnosticSink& sink) {
  ChannelPlan c;
  c.decl = &d;
  SettingsReader r(d, "channel", {"capacity", "kind"}, sink);
  r.require("kind");
  int k = r.word("kind", {"spsc", "mpsc", "broadcast", "shared_memory"});
  if (k >= 0) c.kind = static_cast<ChannelKind>(k);
  c.capacity = r.number("capacity", 2, kMaxCapacity, c.capacity);
  if ((c.capacity & (c.capacity - 1)) != 0) {
    std::int64_t next = 1;
    while (next < c.capacity) next <<= 1;
    const Expr& v = *r.get("capacity")->value;
    sink.report(diag::BadSettingValue(v.range, "capacity", "it must be a power of two")
                    .fix(fmt::format("write {}", next), v.range, std::to_string(next)));
  }
  const Type* t = d.carried ? d.carried->resolved : nullptr;
  if (c.kind == ChannelKind::kSharedMemory && t != nullptr && !t->is_error()) {
    std::string why = not_fixed_size(t);
    if (!why.empty()) sink.report(diag::ChannelNotFixedSize(d.carried->range, type_name(t), why));
  }
  return c;
}

void check_connections(const ChannelPlan& c, DiagnosticSink& sink) {
  const Decl& d = *c.decl;
  bool one_writer = c.kind != ChannelKind::kMpsc;
  bool one_reader = c.kind != ChannelKind::kBroadcast;
  if (one_writer && c.lanes > 1) {
    // A service on N cores sends from each of them: N senders.
    bool one_service = c.senders.size() == 1;
    const Decl* second = c.senders[one_service ? 0 : 1];
    SourceRange where = d.name_range;
    for (const auto& s : second->sends) {
      if (s.channel == &d) {
        where = s.range;
        break;
      }
    }
    Diagnostic diag = diag::TooManySenders(where, spelling(c.kind), d.name);
    for (std::size_t i = 0; i < c.senders.size() && i < 2; ++i) {
      const Decl* sender = c.senders[i];
      std::string who =
          i == 0 ? "'" + sender->name + "' sends on it" : "and so does '" + sender->name + "'";
      if (c.copies[i] > 1) {
        who += fmt::format(
            " from each of its partition's {} cores (a service's routes run on "
            "every core)",
            c.copies[i]);
      }
      diag.note(sender->name_range, who);
    }
    diag.note(d.name_range, "declare the channel `kind: mpsc` for several senders");
    sink.report(std::move(diag));
  }
  if (one_reader && c.receivers.size() > 1) {
    sink.report(diag::TooManyReceivers(c.receivers[1]->reads_range, spelling(c.kind), d.name)
                    .note(c.receivers[0]->name_range, "'" + c.receivers[0]->name + "' reads it")
                    .note(d.name_range,
                          "declare the channel `kind: broadcast` to give every message to each"));
  }
  if (!c.senders.empty() && c.receivers.empty()) {
    sink.report(diag::ChannelWithoutReceiver(d.name_range, d.name));
  } else if (c.senders.empty()) {
    sink.report(diag::ChannelWithoutSender(d.name_range, d.name));
  }
}

// A receiver that sends holds its partition's core while the channel is full, until a receiver
// of the channel takes a message. Edges: partition P -> partition Q when a receiver on P sends
// on a channel that a receiver on Q reads. A path from a receiver's partition back to itself
// means two handlers can wait on each other forever. Reports the first such receiver per cycle.
void check_wait_cycles(const SystemPlan& plan, DiagnosticSink& sink) {
  std::map<const Decl*, std::vector<std::pair<const Decl*, const Decl*>>> edges;  // P -> (Q, via)
  auto waits_on = [](const Decl* sender, const Decl* channel) {
    return std::any_of(sender->sends.begin(), sender->sends.end(),
                       [&](const Decl::Send& s) { return s.channel == channel && s.waits; });
  };
  for (const ChannelPlan& c : plan.channels) {
    for (const Decl* sender : c.senders) {
      if (sender->kind == DeclKind::kTask || sender->partition == nullptr ||
          !waits_on(sender, c.decl)) {
        continue;
      }
      for (const Decl* reader : c.receivers) {
        if (reader->partition != nullptr) {
          edges[sender->partition].push_back({reader->partition, c.decl});
        }
      }
    }
  }
  std::set<const Decl*> reported;
  for (const ChannelPlan& c : plan.channels) {
    for (const Decl* sender : c.senders) {
      const Decl* home = sender->partition;
      if (sender->kind == DeclKind::kTask || home == nullptr || reported.count(home) ||
          !waits_on(sender, c.decl)) {
        continue;
      }
      // Depth-first from the partitions this channel's readers run on, looking for `home`.
      std::vector<const Decl*> stack;
      std::set<const Decl*> seen;
      for (const Decl* reader : c.receivers) {
        if (reader->partition != nullptr) stack.push_back(reader->partition);
      }
      bool cycle = false;
      while (!stack.empty() && !cycle) {
        const Decl* p = stack.back();
        stack.pop_back();
        if (p == home) cycle = true;
        if (!seen.insert(p).second) continue;
        for (const auto& [next, via] : edges[p]) stack.push_back(next);
      }
      if (!cycle) continue;
      reported.insert(home);
      SourceRange where = sender->name_range;
      for (const auto& s : sender->sends) {
        if (s.channel == c.decl && s.waits) {
          where = s.range;
          break;
        }
      }
      sink.report(diag::ReceiverWaitCycle(where, sender->name, home->name, c.decl->name, home->name)
                      .note(c.decl->name_range, "the channel it waits on when full"));
    }
  }
}

}  // namespace

SystemPlan plan_system(const Program& program, const MachineOptions& machine,
                       DiagnosticSink& sink) {
  SystemPlan plan;
  for (const auto& m : program.modules) {
    for (const auto& d : m->decls) {
      if (d->kind == DeclKind::kPartition) plan.partitions.push_back(plan_partition(*d, sink));
      if (d->kind == DeclKind::kChannel) plan.channels.push_back(plan_channel(*d, sink));
      if (d->kind == DeclKind::kTopic) plan.topics.push_back(plan_topic(*d, sink));
    }
  }
  check_topic_names(plan, sink);
  plan_consumers(plan, program, sink);
  for (const auto& m : program.modules) {
    for (const auto& d : m->decls) {
      if (d->kind == DeclKind::kService) plan.services.push_back(plan_service(*d, plan, sink));
    }
  }
  check_service_ports(plan, sink);
  for (const auto& m : program.modules) {
    for (const auto& d : m->decls) {
      // Consumers and services run on partitions too (a partition used only by them is used),
      // and their handlers may send on channels, as receivers' do.
      if (d->kind != DeclKind::kTask && d->kind != DeclKind::kReceiver &&
          d->kind != DeclKind::kConsumer && d->kind != DeclKind::kService) {
        continue;
      }
      int copies = 1;
      for (PartitionPlan& p : plan.partitions) {
        if (p.decl != d->partition) continue;
        if (d->kind == DeclKind::kService) {
          p.services.push_back(d.get());
          copies = p.cores;
        } else {
          p.runs.push_back(d.get());
        }
      }
      for (ChannelPlan& c : plan.channels) {
        if (c.decl == d->channel) c.receivers.push_back(d.get());
        bool sends = std::any_of(d->sends.begin(), d->sends.end(),
                                 [&](const Decl::Send& s) { return s.channel == c.decl; });
        if (sends) {
          c.senders.push_back(d.get());
          c.copies.push_back(copies);
          c.lanes += copies;
        }
      }
    }
  }
  for (const ChannelPlan& c : plan.channels) check_connections(c, sink);
  check_wait_cycles(plan, sink);
  for (const PartitionPlan& p : plan.partitions) {
    plan.declared_cores += p.cores;
    if (p.runs.empty() && p.services.empty()) {
      sink.report(diag::UnusedPartition(p.decl->name_range, p.decl->name));
    }
  }
  if (machine.cores > 0 && !machine.allow_oversubscription && plan.declared_cores > machine.cores &&
      !plan.partitions.empty()) {
    Diagnostic d = diag::CoresExceedMachine(plan.partitions.back().decl->name_range,
                                            plan.declared_cores, machine.cores);
    for (const PartitionPlan& p : plan.partitions) {
      d.note(p.decl->name_range, fmt::format("'{}' takes {}", p.decl->name, p.cores));
    }
    d.note("or set `allow_oversubscription = true` under [machine] in parsel.toml");
    sink.report(std::move(d));
  }
  return plan;
}

}  // namespace pt
