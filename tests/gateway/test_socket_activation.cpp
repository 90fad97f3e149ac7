// Serving a socket bound by someone else: systemd's socket activation (LISTEN_PID, LISTEN_FDS,
// descriptor 3) and the listener's checks of what it is handed.
#include "gateway/http_server.hpp"
#include "gateway/socket_activation.hpp"
#include "tests/support/listening_socket.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace kharuul::gateway {
namespace {

http_handler nobody() {
    return [](http_request, boost::asio::ip::tcp::endpoint) -> boost::asio::awaitable<http_response> { co_return http_response{}; };
}

TEST(socket_activation, variables_meant_for_another_process_are_ignored_and_removed) {
    ::setenv("LISTEN_PID", std::to_string(::getpid() + 1).c_str(), 1);
    ::setenv("LISTEN_FDS", "1", 1);
    EXPECT_EQ(inherited_listener(), -1);
    EXPECT_EQ(std::getenv("LISTEN_PID"), nullptr);
    EXPECT_EQ(std::getenv("LISTEN_FDS"), nullptr);
}

TEST(socket_activation, no_variables_means_no_socket) {
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDS");
    EXPECT_EQ(inherited_listener(), -1);
}

TEST(socket_activation, a_socket_passed_to_this_process_is_descriptor_3_and_the_variables_are_removed) {
    ::setenv("LISTEN_PID", std::to_string(::getpid()).c_str(), 1);
    ::setenv("LISTEN_FDS", "1", 1);
    ::setenv("LISTEN_FDNAMES", "kharuul", 1);
    EXPECT_EQ(inherited_listener(), listen_fds_start);
    EXPECT_EQ(std::getenv("LISTEN_PID"), nullptr);
    EXPECT_EQ(std::getenv("LISTEN_FDNAMES"), nullptr);
}

TEST(http_server, serves_the_port_of_a_listening_socket_it_is_handed) {
    testing::listening_socket listener;
    boost::asio::io_context io;
    http_server server(io.get_executor(), listener.dup(), http_limits{}, nobody());
    EXPECT_EQ(server.local_endpoint().port(), listener.port());
}

TEST(http_server, a_socket_that_is_not_listening_is_refused_saying_so) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    boost::asio::io_context io;
    try {
        http_server server(io.get_executor(), fd, http_limits{}, nobody());
        FAIL() << "a socket that is not listening was taken";
    } catch (const boost::system::system_error& e) {
        EXPECT_NE(std::string(e.what()).find("not listening"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace kharuul::gateway
