// Definitely lost in C++: an object from new whose pointer is dropped.
// EXPECT: Leak_DefinitelyLost bytes=24 blocks=1 line=16
// RUN: exit=0

struct Account {
  long long id;
  long long balance;
  long long flags;
};

// Where the pointer passes through, so that the optimizer cannot drop the new-expression.
static Account *volatile last_opened;
static volatile long long sink;

__attribute__((noinline)) static void open_account() {
  Account *account = new Account{1, 100, 0};
  last_opened = account;
  sink = account->balance;
  last_opened = nullptr;
}

int main() {
  open_account();
  return 0;
}
