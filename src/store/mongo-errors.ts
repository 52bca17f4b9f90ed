/** Mongo's duplicate-key error code, raised by unique indexes (FerretDB uses the same code). */
export const DUPLICATE_KEY = 11000;
