#ifndef CQRENCODE_SHIM_H
#define CQRENCODE_SHIM_H
/* libqrencode as a system library; Swift calls QRcode_encodeString directly. */
#include <qrencode.h>
#endif
