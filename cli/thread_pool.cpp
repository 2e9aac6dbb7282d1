#include "thread_pool.h"

namespace charrnn_cli {

int hardware_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; i++) workers_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

// Takes items until none are left; each item is run exactly once, by whichever thread takes it.
void ThreadPool::run_items() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (next_ < count_) {
    const int item = next_++;
    lock.unlock();
    (*body_)(item);
    lock.lock();
    if (++finished_ == count_) done_.notify_all();
  }
}

void ThreadPool::work() {
  unsigned seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    run_items();
  }
}

void ThreadPool::for_each(int count, const std::function<void(int)>& body) {
  if (count <= 0) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    body_ = &body;
    count_ = count, next_ = 0, finished_ = 0;
    generation_++;
  }
  wake_.notify_all();
  run_items();
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return finished_ == count_; });
  body_ = nullptr;
}

}  // namespace charrnn_cli
