package nested;

/** Api. */
@Program(0x20000801)
@NumberedInOrder
public interface Api {
  /** Get. */
  Outer get(Outer.Inner inner);
}
