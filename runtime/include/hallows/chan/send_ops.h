// The send forms every ring's producer side shares, written once over its four primitives:
// try_claim(), claim() (blocking; nullptr once closed), publish(std::size_t n) and
// try_claim_batch(max, fill), plus closed() and a private wait_not_full() (befriend SendOps).
// A ring derives from SendOps<Ring, T> (CRTP): no virtual call, everything inlines.
#pragma once

#include <cstddef>
#include <utility>

namespace hallows::chan::detail {

template <class Ring, class T>
class SendOps {
 public:
  // claim + assign + publish; false (and `value` untouched) when full or closed.
  bool try_push(const T& value) {
    return send([&](T& s) { s = value; }, false);
  }
  bool try_push(T&& value) {
    return send([&](T& s) { s = std::move(value); }, false);
  }
  // Blocking sends: false only when the ring is closed.
  bool push(const T& value) {
    return send([&](T& s) { s = value; }, true);
  }
  bool push(T&& value) {
    return send([&](T& s) { s = std::move(value); }, true);
  }

  // try_claim_batch followed by publish(n).
  template <class F>
  std::size_t try_push_batch(std::size_t max, F&& fill) {
    const std::size_t n = ring().try_claim_batch(max, std::forward<F>(fill));
    if (n != 0) ring().publish(n);
    return n;
  }
  // Blocking batch: waits for at least one free slot; 0 only when closed (or max == 0).
  template <class F>
  std::size_t push_batch(std::size_t max, F&& fill) {
    for (;;) {
      const std::size_t n = try_push_batch(max, fill);
      if (n != 0 || max == 0 || ring().closed()) return n;
      ring().wait_not_full();
    }
  }

 private:
  Ring& ring() { return static_cast<Ring&>(*this); }

  template <class Fill>
  bool send(Fill&& fill, bool block) {
    T* slot = block ? ring().claim() : ring().try_claim();
    if (slot == nullptr) return false;
    fill(*slot);
    ring().publish(std::size_t{1});
    return true;
  }
};

}  // namespace hallows::chan::detail
