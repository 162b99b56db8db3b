/** An XML request body as the core's parser leaves it, before validation: the parsed tree and its root's name. */
export class XmlBody {
  readonly root: string;
  readonly value: unknown;
  constructor(root: string, value: unknown) {
    this.root = root;
    this.value = value;
  }
}
