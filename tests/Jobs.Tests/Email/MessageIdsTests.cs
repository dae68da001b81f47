using Dashboard.Jobs.Email;
using MimeKit;

namespace Dashboard.Jobs.Tests.Email;

public sealed class MessageIdsTests
{
    [Fact]
    public void For_PlainKey_IsTheKeyAtTheDomain()
    {
        Assert.Equal("order-7/confirmation@example.com", MessageIds.For("order-7/confirmation", "example.com"));
    }

    [Fact]
    public void For_KeyWithDotsAndColons_EscapesThemIntoAValidId()
    {
        var id = MessageIds.For("a.b:c", "example.com");

        Assert.Equal("a%2Eb%3Ac@example.com", id);
        var message = new MimeMessage { MessageId = id };
        Assert.Equal(id, message.MessageId);
    }

    [Fact]
    public void For_DifferentKeys_GiveDifferentIds()
    {
        Assert.NotEqual(MessageIds.For("a.b", "example.com"), MessageIds.For("a%2Eb", "example.com"));
    }
}
