// Debian's libqrencode (package libqrencode-dev): QR codes for the second
// factor's setup page, made on the server with no outside service.
#include <qrencode.h>
