// Invalid free in C++: delete of an object built with placement new in a static buffer.
// EXPECT: InvalidFree line=17 addr=global
// RUN: exit=0
#include <new>

struct Widget {
  int width = 3;
  int height = 4;
};

alignas(Widget) static unsigned char storage[sizeof(Widget)];

static Widget *volatile widget;

int main() {
  widget = new (storage) Widget;
  delete widget;  // storage never came from new
  return 0;
}
