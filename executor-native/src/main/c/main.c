/* sandq-launcher's entry: a launch in this process, or (--zygote SOCKET first) one handed to a
 * warm interpreter's zygote (zygote_stub.c). */
#include "launcher.h"

#include <string.h>

#include "zygote.h"

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--zygote") == 0)
    return zygote_stub_main(argc, argv);
  return launcher_main(argc, argv);
}
