package dev.lifeboat.remote;

/** A command exited with a status other than 0; the message has the command, status and its last output. */
public class CommandFailedException extends RemoteException {

  private final transient CommandResult result;

  public CommandFailedException(String where, CommandResult result) {
    super("'" + result.command() + "' on " + where + " exited with status " + result.exitStatus()
        + (result.tail().isEmpty() ? "" : ": " + result.tail()));
    this.result = result;
  }

  public CommandResult result() {
    return result;
  }
}
