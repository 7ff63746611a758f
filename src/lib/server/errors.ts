// Typed errors, mapped to HTTP in one place (pages call httpStatusOf).
export class NotFoundError extends Error {
  readonly what: string;
  readonly id: string;
  constructor(what: string, id: string) {
    super(`${what} '${id}' not found`);
    this.what = what;
    this.id = id;
  }
}

/** A request that cannot be carried out as asked; `field` names the form field at fault. */
export class RefusedError extends Error {
  readonly field: string;
  constructor(message: string, field = 'form') {
    super(message);
    this.field = field;
  }
}

export function httpStatusOf(e: unknown): number {
  if (e instanceof NotFoundError) return 404;
  if (e instanceof RefusedError) return 400;
  return 500;
}
