package clashes;

/** Its class would be SvcV1, which a record already is. */
@Program(0x20000601)
@NumberedInOrder
public interface Svc {
  Result get(SvcV1 args);
}
