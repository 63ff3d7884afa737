/**
 * The interchange format's version: one integer, the major version. A reader accepts its own major
 * and older ones and ignores fields it does not know (additions never bump the major); a file of a
 * newer major is refused with a message that says so, never half read.
 */
export const INTERCHANGE_VERSION = 1;
