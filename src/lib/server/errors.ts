// Typed errors: services throw them; pages and actions turn NotFoundError into 404 and RefusedError into a form error.
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
