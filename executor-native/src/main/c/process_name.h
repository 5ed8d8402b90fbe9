/* The process name (comm) that ps, top and /proc show: each role of a launch its own. */
#ifndef SANDQ_PROCESS_NAME_H
#define SANDQ_PROCESS_NAME_H

/* Sets this process's name (at most 15 bytes shown); fatal on failure. */
void name_process(const char *name);

#endif
