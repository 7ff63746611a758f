// A write to a record that content files own (content/incidents/*.md, components.yaml): answered 409 naming the file.
export class ReadOnlyRecordError extends Error {
  readonly record: string;
  constructor(record: string, message: string) {
    super(message);
    this.record = record;
  }
}
