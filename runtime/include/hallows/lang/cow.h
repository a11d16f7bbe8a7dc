// Cow<T>: a copy-on-write value (copying is O(1); the first write to a shared value clones it).
// Shared<T>: a mutable value shared by all copies of the handle, guarded by a mutex.
#pragma once

#include <atomic>
#include <compare>
#include <concepts>
#include <memory>
#include <mutex>
#include <utility>

namespace hallows {

template <class T>
class Cow {
 public:
  Cow() requires std::default_initializable<T> : ptr_(std::make_shared<T>()) {}
  Cow(T value) : ptr_(std::make_shared<T>(std::move(value))) {}

  // A moved-from Cow may only be assigned to or destroyed.

  [[nodiscard]] const T& get() const { return *ptr_; }

  // A writable reference, cloning the value first when another Cow shares it. The reference is
  // valid until this Cow is next copied from or assigned to.
  [[nodiscard]] T& mut() {
    if (ptr_.use_count() != 1) {
      ptr_ = std::make_shared<T>(*ptr_);
    } else {
      // Pairs with the release in another owner's reference drop, so its reads of the value
      // happen before our writes.
      std::atomic_thread_fence(std::memory_order_acquire);
    }
    return *ptr_;
  }

  // True when both Cows hold the same object (no comparison needed).
  [[nodiscard]] bool shares_with(const Cow& other) const { return ptr_ == other.ptr_; }

  friend bool operator==(const Cow& a, const Cow& b) {
    return a.ptr_ == b.ptr_ || a.get() == b.get();
  }
  friend auto operator<=>(const Cow& a, const Cow& b) requires std::three_way_comparable<T> {
    return a.get() <=> b.get();
  }

 private:
  // Held as non-const T so that mut() needs no const_cast; only mut() hands out a T&.
  std::shared_ptr<T> ptr_;
};

template <class T>
class Shared {
 public:
  Shared() requires std::default_initializable<T> : state_(std::make_shared<State>()) {}
  Shared(T value) : state_(std::make_shared<State>(std::move(value))) {}

  // A copy of the current value, taken under the lock.
  [[nodiscard]] T get() const {
    std::lock_guard lock(state_->mutex);
    return state_->value;
  }

  // The handle is const-callable like a pointer: copies share one value either way.
  void set(T value) const {
    std::lock_guard lock(state_->mutex);
    state_->value = std::move(value);
  }

  // Calls f(T&) under the lock and returns what f returns. f must not touch this Shared.
  template <class F>
  auto with(F&& f) const {
    std::lock_guard lock(state_->mutex);
    return std::forward<F>(f)(state_->value);
  }

  // True when both handles name the same value.
  friend bool operator==(const Shared& a, const Shared& b) { return a.state_ == b.state_; }

 private:
  struct State {
    State() = default;
    explicit State(T v) : value(std::move(v)) {}
    std::mutex mutex;
    T value;  // guarded by mutex
  };
  std::shared_ptr<State> state_;
};

}  // namespace hallows
