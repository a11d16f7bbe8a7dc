// channel_bench throughput runs: one producer side pinned to core 0, consumers on core 1.
#include <algorithm>
#include <memory>
#include <vector>

// GCC 12 reports a false -Wstringop-overflow inside ConcurrentQueue's bulk enqueue (an atomic
// load it cannot see the bounds of); the peer's code is not ours to change.
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#include <concurrentqueue/concurrentqueue.h>
#include <readerwriterqueue/readerwriterqueue.h>

#include "channel_bench.h"
#include "hallows/chan/broadcast_ring.h"
#include "hallows/chan/mpsc_ring.h"
#include "hallows/chan/spsc_ring.h"

namespace chan_bench {

using hallows::chan::BroadcastRing;
using hallows::chan::MpscRing;
using hallows::chan::SpscRing;

// Sends messages 0..n-1 through `ring` (any ring's producer side, or an MPSC lane), one at a
// time (claim, fill, publish) or in batches of kBatch, backing off while it is full.
template <class Sender>
void produce(Sender& ring, std::uint64_t n, bool batch) {
  Backoff b;
  for (std::uint64_t i = 0; i < n;) {
    if (batch) {
      const std::size_t k = ring.try_push_batch(std::min<std::uint64_t>(kBatch, n - i),
                                                [&](Msg& m, std::size_t j) { fill(m, i + j); });
      i += k;
      if (k == 0) {
        b.pause();
      } else {
        b.reset();
      }
    } else if (Msg* m = ring.try_claim()) {
      fill(*m, i++);
      ring.publish();
      b.reset();
    } else {
      b.pause();
    }
  }
}

// Reads `n` messages from `ring` (a ring's consumer side, or a broadcast Reader) by reference,
// one at a time or in batches; returns the sum of their first words.
template <class Source>
std::uint64_t consume(Source& ring, std::uint64_t n, bool batch) {
  std::uint64_t sum = 0;
  Backoff b;
  for (std::uint64_t got = 0; got < n;) {
    if (batch) {
      const std::size_t k = ring.read_batch([&](const Msg& m) { sum += m.v[0]; }, kBatch);
      got += k;
      if (k == 0) {
        b.pause();
      } else {
        b.reset();
      }
    } else if (const Msg* m = ring.try_peek()) {
      sum += m->v[0];
      ring.release();
      ++got;
      b.reset();
    } else {
      b.pause();
    }
  }
  return sum;
}

double spsc_ours(bool batch) {
  const std::uint64_t n = opt.messages;
  return mmsgs(n, [&] {
    SpscRing<Msg> ring(kCapacity);
    return timed(
        1, 1, [&](int) { produce(ring, n, batch); },
        [&](int) { g_sink += consume(ring, n, batch); });
  });
}

double spsc_rwq() {
  const std::uint64_t n = opt.messages;
  return mmsgs(n, [&] {
    moodycamel::ReaderWriterQueue<Msg> q(kCapacity);
    return timed(
        1, 1,
        [&](int) {
          Backoff b;
          Msg m;
          for (std::uint64_t i = 0; i < n;) {
            fill(m, i);
            if (q.try_enqueue(m)) {
              ++i;
              b.reset();
            } else {
              b.pause();
            }
          }
        },
        [&](int) {
          std::uint64_t sum = 0;
          Backoff b;
          Msg m;
          for (std::uint64_t got = 0; got < n;) {
            if (q.try_dequeue(m)) {
              sum += m.v[0];
              ++got;
              b.reset();
            } else {
              b.pause();
            }
          }
          g_sink += sum;
        });
  });
}

// Each producer thread sends through its own lane (ring.producer(p)); the lanes share the same
// total number of slots as the other queues (kCapacity / producers each).
double mpsc_ours(bool batch) {
  const std::uint64_t n = opt.messages / opt.producers;
  const std::uint64_t total = n * opt.producers;
  return mmsgs(total, [&] {
    MpscRing<Msg> ring(std::max<std::size_t>(1, kCapacity / opt.producers), opt.producers);
    return timed(
        opt.producers, 1,
        [&](int p) {
          auto& lane = ring.producer(p);
          produce(lane, n, batch);
        },
        [&](int) { g_sink += consume(ring, total, batch); });
  });
}

// ConcurrentQueue plain (implicit per-thread producer queues found through a hash lookup on
// each call) or with an explicit ProducerToken per producer and a ConsumerToken (its fastest
// mode); one at a time (enqueue / try_dequeue) or in bulk (enqueue_bulk / try_dequeue_bulk).
double mpsc_cq(bool bulk, bool tokens) {
  const std::uint64_t n = opt.messages / opt.producers;
  const std::uint64_t total = n * opt.producers;
  return mmsgs(total, [&] {
    moodycamel::ConcurrentQueue<Msg> q(kCapacity * 2);
    return timed(
        opt.producers, 1,
        [&](int) {
          // enqueue (may allocate blocks): try_enqueue with a token can stall for good once the
          // producer's preallocated blocks are spoken for (seen here), so the peer runs unbounded.
          moodycamel::ProducerToken tok(q);
          Msg buf[kBatch];
          for (std::uint64_t i = 0; i < n;) {
            if (bulk) {
              const std::size_t k = std::min<std::uint64_t>(kBatch, n - i);
              for (std::size_t j = 0; j < k; ++j) fill(buf[j], i + j);
              if (tokens ? q.enqueue_bulk(tok, buf, k) : q.enqueue_bulk(buf, k)) i += k;
            } else {
              fill(buf[0], i);
              if (tokens ? q.enqueue(tok, buf[0]) : q.enqueue(buf[0])) ++i;
            }
          }
        },
        [&](int) {
          moodycamel::ConsumerToken tok(q);
          std::uint64_t sum = 0;
          Backoff b;
          Msg buf[kBatch];
          for (std::uint64_t got = 0; got < total;) {
            std::size_t k = 0;
            if (bulk) {
              k = tokens ? q.try_dequeue_bulk(tok, buf, kBatch) : q.try_dequeue_bulk(buf, kBatch);
            } else {
              k = (tokens ? q.try_dequeue(tok, buf[0]) : q.try_dequeue(buf[0])) ? 1 : 0;
            }
            for (std::size_t j = 0; j < k; ++j) sum += buf[j].v[0];
            got += k;
            if (k == 0) {
              b.pause();
            } else {
              b.reset();
            }
          }
          g_sink += sum;
        });
  });
}

double broadcast_ours(bool batch) {
  const std::uint64_t n = opt.messages;
  return mmsgs(n, [&] {
    BroadcastRing<Msg> ring(kCapacity);
    std::vector<BroadcastRing<Msg>::Reader> readers;
    for (int r = 0; r < opt.readers; ++r) readers.push_back(ring.add_reader());
    return timed(
        1, opt.readers, [&](int) { produce(ring, n, batch); },
        [&](int r) {
          auto& reader = readers[r];
          g_sink += consume(reader, n, batch);
        });
  });
}

// The usual alternative to a broadcast ring: one SPSC queue per reader, the writer copies.
double broadcast_rwq() {
  const std::uint64_t n = opt.messages;
  return mmsgs(n, [&] {
    std::vector<std::unique_ptr<moodycamel::ReaderWriterQueue<Msg>>> qs;
    for (int r = 0; r < opt.readers; ++r) {
      qs.push_back(std::make_unique<moodycamel::ReaderWriterQueue<Msg>>(kCapacity));
    }
    return timed(
        1, opt.readers,
        [&](int) {
          Backoff b;
          Msg m;
          for (std::uint64_t i = 0; i < n; ++i) {
            fill(m, i);
            for (auto& q : qs) {
              while (!q->try_enqueue(m)) b.pause();
              b.reset();
            }
          }
        },
        [&](int r) {
          std::uint64_t sum = 0;
          Backoff b;
          Msg m;
          for (std::uint64_t got = 0; got < n;) {
            if (qs[r]->try_dequeue(m)) {
              sum += m.v[0];
              ++got;
              b.reset();
            } else {
              b.pause();
            }
          }
          g_sink += sum;
        });
  });
}

}  // namespace chan_bench
