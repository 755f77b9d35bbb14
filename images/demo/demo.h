/*
 * The ping/pong protocol of the demo image (first message word).
 */
#ifndef IMAGES_DEMO_H
#define IMAGES_DEMO_H

#define DEMO_SHARE 1 /* w1: PAGES capability slot in pong, w2: frame */
#define DEMO_PING 2  /* w1: counter; pong answers w1 + 1 */
#define DEMO_SHARED_VA 0x10000000ull

#endif
